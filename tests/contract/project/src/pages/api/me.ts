// Who is asking: the sign-in cookie, the session, the locals the page set.
import type { APIRoute } from 'astro';

export const GET: APIRoute = async ({ cookies, session, locals }) => {
	const cookie = cookies.get('user')?.value ?? null;
	const user = (await session?.get<string>('user')) ?? null;
	const role = (locals as { role?: string }).role ?? null;
	if (!cookie && !user && !role) return Response.json({ error: 'not signed in' }, { status: 401 });
	return Response.json({ cookie, user, role });
};
