// POST /api/name { "name": "Ada" } remembers the visitor's name in a cookie; DELETE forgets it.
import type { APIRoute } from 'astro';

export const prerender = false;

export const POST: APIRoute = async ({ request, cookies }) => {
	const { name } = (await request.json().catch(() => ({}))) as { name?: string };
	if (!name?.trim()) return Response.json({ error: 'Send { "name": "..." }.' }, { status: 422 });
	cookies.set('name', name.trim(), { path: '/', sameSite: 'lax' });
	return Response.json({ name: name.trim() });
};

export const DELETE: APIRoute = ({ cookies }) => {
	cookies.delete('name', { path: '/' });
	return new Response(null, { status: 204 });
};
