// A preference cookie the page can read (not HttpOnly).
import type { APIRoute } from 'astro';

export const POST: APIRoute = async ({ request, cookies }) => {
	const { theme } = (await request.json()) as { theme: string };
	cookies.set('theme', theme, { path: '/' });
	return Response.json({ theme });
};
