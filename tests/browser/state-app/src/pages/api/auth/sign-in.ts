import type { APIRoute } from 'astro';

// Signs in: the user goes in the session, an HttpOnly auth cookie and a page-visible theme cookie are set.
export const POST: APIRoute = async ({ request, session, cookies }) => {
	const { name } = await request.json();
	session!.set('user', { name, since: new Date(Date.UTC(2026, 0, 1)) });
	cookies.set('auth', `token-${name}`, { path: '/', httpOnly: true, sameSite: 'lax' });
	cookies.set('theme', 'dark', { path: '/' });
	return Response.json({ signedIn: name });
};
