import type { APIRoute } from 'astro';
import { currentUser } from '../../../lib/accounts';

// Who is signed in: 200 with the user, or 401 with the last name used in this
// browser (from the `notes-last-user` cookie) for the sign-in form.
export const GET: APIRoute = async ({ session, cookies }) => {
	const name = await currentUser(session);
	if (!name) return Response.json({ error: 'Sign in first.', lastUser: cookies.get('notes-last-user')?.value ?? null }, { status: 401 });
	return Response.json({ user: { name } });
};
