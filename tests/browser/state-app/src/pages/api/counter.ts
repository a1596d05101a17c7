import type { APIRoute } from 'astro';

export const POST: APIRoute = async ({ session }) => {
	const count = ((await session!.get('count')) ?? 0) + 1;
	session!.set('count', count);
	return Response.json({ count });
};
