// Sign-in: an HttpOnly cookie the page cannot read, and the name in the session.
import type { APIRoute } from 'astro';

export const POST: APIRoute = async ({ request, cookies, session }) => {
	const { name } = (await request.json()) as { name?: string };
	if (!name) return Response.json({ error: 'name is required' }, { status: 400 });
	cookies.set('user', name, { path: '/', httpOnly: true, sameSite: 'lax' });
	session?.set('user', name);
	return Response.json({ signedIn: name });
};

export const DELETE: APIRoute = ({ cookies, session }) => {
	cookies.delete('user', { path: '/' });
	session?.destroy();
	return new Response(null, { status: 204 });
};
