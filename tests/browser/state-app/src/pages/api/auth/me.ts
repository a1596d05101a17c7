import type { APIRoute } from 'astro';

export const GET: APIRoute = async ({ session, cookies, request }) => {
	const user = await session!.get('user');
	return Response.json({
		user: user ? { name: user.name, since: user.since instanceof Date ? user.since.toISOString() : null } : null,
		auth: cookies.get('auth')?.value ?? null,
		theme: cookies.get('theme')?.value ?? null,
		cookieHeader: request.headers.get('cookie'),
	});
};
