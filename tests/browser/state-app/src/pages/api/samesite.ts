import type { APIRoute } from 'astro';

// One cookie of each SameSite kind, to see which ones a request carries.
export const POST: APIRoute = ({ cookies }) => {
	cookies.set('strict', '1', { path: '/', sameSite: 'strict' });
	cookies.set('lax', '1', { path: '/', sameSite: 'lax' });
	cookies.set('hidden-strict', '1', { path: '/', sameSite: 'strict', httpOnly: true });
	return Response.json({ set: true });
};
