import type { APIRoute } from 'astro';
import { currentUser, notSignedIn } from '../../../lib/accounts';
import { listNotes, readNoteInput, saveNotes } from '../../../lib/notes';

const noSuchNote = (id: string | undefined) => Response.json({ error: `No note ${id}.` }, { status: 404 });

export const GET: APIRoute = async ({ session, params }) => {
	const user = await currentUser(session);
	if (!user) return notSignedIn();
	const note = (await listNotes(session!, user)).find((n) => n.id === params.id);
	return note ? Response.json(note) : noSuchNote(params.id);
};

// Changes a note's text and/or pin: { text?, pinned? } → the note.
export const PATCH: APIRoute = async ({ session, params, request }) => {
	const user = await currentUser(session);
	if (!user) return notSignedIn();
	const notes = await listNotes(session!, user);
	const note = notes.find((n) => n.id === params.id);
	if (!note) return noSuchNote(params.id);
	const input = await readNoteInput(request, false);
	if ('error' in input) return Response.json(input, { status: 422 });
	// Pinning is not an edit: only a change of text moves the note up the list.
	const updated = { ...note, ...input, updatedAt: input.text !== undefined && input.text !== note.text ? new Date() : note.updatedAt };
	saveNotes(
		session!,
		user,
		notes.map((n) => (n === note ? updated : n)),
	);
	return Response.json(updated);
};

export const DELETE: APIRoute = async ({ session, params }) => {
	const user = await currentUser(session);
	if (!user) return notSignedIn();
	const notes = await listNotes(session!, user);
	if (!notes.some((n) => n.id === params.id)) return noSuchNote(params.id);
	saveNotes(
		session!,
		user,
		notes.filter((n) => n.id !== params.id),
	);
	return new Response(null, { status: 204 });
};
