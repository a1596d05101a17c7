// Accounts of the notes app (public/notes/): who is signed in, and the sign-in
// rules. A prototype has no user database, so the first sign-in with a new name
// creates the account, and later sign-ins need the same password. Accounts live
// in the visitor's Astro session, as the notes do (see notes.ts for why).
import type { APIContext } from 'astro';

/** `context.session` once sessions are on (they are by default). */
export type Session = NonNullable<APIContext['session']>;

/** A stored account: never the password itself, only a salted PBKDF2 hash of it. */
export interface Account {
	salt: string;
	hash: string;
	createdAt: Date;
}

export const MIN_PASSWORD_LENGTH = 4;
const NAME = /^[\p{L}\p{N}._-]{1,32}$/u;
// Browsers and Node both do 100k rounds in well under 100 ms: slow enough to
// make guessing costly, quick enough for a sign-in.
const PBKDF2_ROUNDS = 100_000;

/** The signed-in user's name, or undefined. */
export async function currentUser(session: Session | undefined): Promise<string | undefined> {
	return session?.get<string>('user');
}

/** What every notes endpoint answers to a visitor who is not signed in. */
export function notSignedIn(): Response {
	return Response.json({ error: 'Sign in first.' }, { status: 401 });
}

/** Why `name` and `password` cannot be used, or undefined if they can. */
export function credentialsProblem(name: string, password: string): { field: 'username' | 'password'; error: string } | undefined {
	if (!NAME.test(name)) return { field: 'username', error: 'Use 1 to 32 letters, digits, dots, dashes or underscores.' };
	if (password.length < MIN_PASSWORD_LENGTH) return { field: 'password', error: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
	return undefined;
}

/**
 * Checks `password` against the account `name`, creating the account if there is
 * none yet: 'created', 'ok' or 'wrong'.
 */
export async function signInAs(session: Session, name: string, password: string): Promise<'created' | 'ok' | 'wrong'> {
	const accounts = (await session.get<Record<string, Account>>('accounts')) ?? {};
	const account = accounts[name];
	if (account) return (await hashPassword(password, account.salt)) === account.hash ? 'ok' : 'wrong';
	const salt = crypto.randomUUID();
	accounts[name] = { salt, hash: await hashPassword(password, salt), createdAt: new Date() };
	session.set('accounts', accounts);
	return 'created';
}

async function hashPassword(password: string, salt: string): Promise<string> {
	const encoder = new TextEncoder();
	const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
	const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: encoder.encode(salt), iterations: PBKDF2_ROUNDS }, key, 256);
	return Array.from(new Uint8Array(bits), (b) => b.toString(16).padStart(2, '0')).join('');
}
