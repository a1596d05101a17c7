import type { APIRoute } from 'astro';
import { credentialsProblem, signInAs } from '../../../lib/accounts';
import { createNote, saveNotes } from '../../../lib/notes';

const WELCOME = `Welcome to your notes
They are kept by this app's API, which runs in a service worker in this tab. Turn off your network: adding, editing and deleting notes still work, and so does reloading the page.`;

// Signs in with { username, password }. A new name creates the account (and a
// first note); a known name needs its password. Remembers the name in a cookie
// that the sign-in form reads back to fill itself in.
export const POST: APIRoute = async ({ request, session, cookies }) => {
	const body = (await request.json().catch(() => null)) ?? {};
	const username = typeof body.username === 'string' ? body.username.trim() : '';
	const password = typeof body.password === 'string' ? body.password : '';
	const problem = credentialsProblem(username, password);
	if (problem) return Response.json(problem, { status: 422 });

	const outcome = await signInAs(session!, username, password);
	if (outcome === 'wrong') return Response.json({ field: 'password', error: `That is not ${username}'s password.` }, { status: 401 });
	// A new session id at sign-in: an id someone saw before cannot be used to act as this user.
	await session!.regenerate();
	session!.set('user', username);
	if (outcome === 'created') saveNotes(session!, username, [createNote(WELCOME)]);
	cookies.set('notes-last-user', username, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' });
	return Response.json({ user: { name: username }, created: outcome === 'created' }, { status: outcome === 'created' ? 201 : 200 });
};
