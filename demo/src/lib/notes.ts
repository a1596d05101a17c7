// The notes of the notes app (public/notes/), one list per user.
//
// Where they live: in the visitor's Astro session, under `notes:<user>`. In the
// service worker the session store is IndexedDB, so notes outlast reloads,
// worker restarts and going offline; on an Astro server it is the session
// driver's storage. Signing out therefore keeps the session's data and only
// forgets who is signed in (see api/auth/sign-out.ts). When the app gets a real
// database, this file is the one to change: the endpoints only call these functions.
import type { Session } from './accounts';

/** One note. Dates round-trip through the session as Dates (Astro stores values with devalue). */
export interface Note {
	id: string;
	text: string;
	pinned: boolean;
	createdAt: Date;
	updatedAt: Date;
}

/** The fields a client may send to create or change a note. */
export interface NoteInput {
	text?: string;
	pinned?: boolean;
}

const MAX_TEXT = 10_000;

const key = (user: string) => `notes:${user}`;

/** The user's notes, pinned first, then the most recently changed. */
export async function listNotes(session: Session, user: string): Promise<Note[]> {
	const notes = (await session.get<Note[]>(key(user))) ?? [];
	return notes.sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt.getTime() - a.updatedAt.getTime());
}

/** Replaces the user's notes. */
export function saveNotes(session: Session, user: string, notes: Note[]): void {
	session.set(key(user), notes);
}

/** A new note with `text`. */
export function createNote(text: string, pinned = false): Note {
	const now = new Date();
	return { id: crypto.randomUUID(), text, pinned, createdAt: now, updatedAt: now };
}

/**
 * Reads a JSON body as a NoteInput: the input, or the error to answer (422).
 * With `requireText`, a note without text is refused (creating one).
 */
export async function readNoteInput(request: Request, requireText: boolean): Promise<NoteInput | { error: string }> {
	const body: unknown = await request.json().catch(() => undefined);
	if (!body || typeof body !== 'object') return { error: 'Send a JSON object, e.g. {"text": "…"}.' };
	const { text, pinned } = body as Record<string, unknown>;
	const input: NoteInput = {};
	if (text !== undefined || requireText) {
		if (typeof text !== 'string' || !text.trim()) return { error: 'A note needs some text.' };
		if (text.length > MAX_TEXT) return { error: `A note holds at most ${MAX_TEXT} characters.` };
		input.text = text.trim();
	}
	if (pinned !== undefined) {
		if (typeof pinned !== 'boolean') return { error: '"pinned" is true or false.' };
		input.pinned = pinned;
	}
	return input;
}
