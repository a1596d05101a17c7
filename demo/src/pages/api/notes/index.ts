import type { APIRoute } from 'astro';
import { currentUser, notSignedIn } from '../../../lib/accounts';
import { createNote, listNotes, readNoteInput, saveNotes } from '../../../lib/notes';

// The signed-in user's notes; `?q=` keeps those whose text contains it (any case).
export const GET: APIRoute = async ({ session, url }) => {
	const user = await currentUser(session);
	if (!user) return notSignedIn();
	const q = url.searchParams.get('q')?.trim().toLocaleLowerCase();
	const notes = await listNotes(session!, user);
	return Response.json(q ? notes.filter((n) => n.text.toLocaleLowerCase().includes(q)) : notes);
};

// Adds a note: { text, pinned? } → 201 with the note.
export const POST: APIRoute = async ({ session, request }) => {
	const user = await currentUser(session);
	if (!user) return notSignedIn();
	const input = await readNoteInput(request, true);
	if ('error' in input) return Response.json(input, { status: 422 });
	const note = createNote(input.text!, input.pinned);
	saveNotes(session!, user, [note, ...(await listNotes(session!, user))]);
	return Response.json(note, { status: 201 });
};
