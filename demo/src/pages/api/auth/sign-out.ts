import type { APIRoute } from 'astro';

// Signs out. Not session.destroy(): the session also holds the notes of every
// account of this browser (see src/lib/notes.ts). Forgetting the user and moving
// the data to a new session id gives what destroy() would for security: the old
// cookie no longer signs anyone in.
export const POST: APIRoute = async ({ session }) => {
	if (await session!.has('user')) {
		await session!.regenerate();
		session!.delete('user');
	}
	return Response.json({ signedOut: true });
};
