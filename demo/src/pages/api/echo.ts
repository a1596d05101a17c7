import type { APIRoute } from 'astro';

// Echoes what it was sent, the way a server would see it.
export const POST: APIRoute = async ({ request }) => {
	const type = request.headers.get('content-type') ?? '';
	const body = type.includes('json') ? await request.json() : await request.text();
	return Response.json({ method: request.method, contentType: type, body }, { status: 201 });
};
