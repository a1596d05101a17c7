import type { APIRoute } from 'astro';

export const POST: APIRoute = ({ session, cookies }) => {
	session!.destroy();
	cookies.delete('auth', { path: '/', httpOnly: true, sameSite: 'lax' });
	cookies.delete('theme', { path: '/' });
	return Response.json({ signedOut: true });
};
