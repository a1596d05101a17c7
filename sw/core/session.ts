// Port of Astro 7's AstroSession (astro/src/core/session/runtime.ts) with the storage passed in.
import { parse, stringify } from 'devalue';
import type { AstroCookieSetOptions, AstroCookies } from './cookies.ts';

/** The string key/value storage a session is persisted to (IndexedDB in the worker, memory in Node). */
export interface SessionStore {
	getItem(key: string): Promise<string | undefined>;
	setItem(key: string, value: string): Promise<void>;
	removeItem(key: string): Promise<void>;
}

/** The `session` part of the Astro config that the runtime reads. */
export interface SessionConfig {
	cookie?:
		| string
		| {
				name?: string;
				domain?: string;
				path?: string;
				maxAge?: number;
				sameSite?: boolean | 'lax' | 'strict' | 'none';
				secure?: boolean;
				httpOnly?: boolean;
				partitioned?: boolean;
		  };
	ttl?: number;
}

/** Thrown when a session value cannot be serialized or the session cookie cannot be set. */
export class SessionStorageSaveError extends Error {
	override name = 'SessionStorageSaveError';
}

interface SessionEntry {
	data: any;
	expires?: number;
}

const DEFAULT_COOKIE_NAME = 'astro-session';
const VALID_COOKIE_NAME = /^[\w-]+$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const reducers = { URL: (value: unknown) => value instanceof URL && value.href };
/** One request's changes to a session, waiting for its commit. */
interface PendingWrite {
	apply(current: Map<string, SessionEntry>): void;
	resolve(): void;
	reject(error: unknown): void;
}

/**
 * Per store and session id, the writes waiting for the one in progress. Writes to
 * one session run one at a time, and those that arrived meanwhile are committed
 * together: one read, their changes applied in arrival order, one write (group
 * commit: 50 concurrent writes to one session cost a few storage writes, not 50).
 * Each resolves once the write holding its changes committed.
 */
const queues = new WeakMap<SessionStore, Map<string, PendingWrite[]>>();

type Read = () => Promise<Map<string, SessionEntry> | undefined>;
type Write = (current: Map<string, SessionEntry>) => Promise<void>;

function commit(store: SessionStore, id: string, read: Read, write: Write, apply: PendingWrite['apply']): Promise<void> {
	let byId = queues.get(store);
	if (!byId) queues.set(store, (byId = new Map()));
	const queue = byId.get(id);
	return new Promise<void>((resolve, reject) => {
		const pending = { apply, resolve, reject };
		if (queue) return void queue.push(pending);
		const waiting = [pending];
		byId.set(id, waiting);
		void (async () => {
			while (waiting.length) await writeBatch(waiting.splice(0), read, write);
			byId.delete(id);
		})();
	});
}

/** Commits `batch` in one write; if that write fails (e.g. the batch together is too large), each one alone. */
async function writeBatch(batch: PendingWrite[], read: Read, write: Write): Promise<void> {
	try {
		const current = (await read()) ?? new Map<string, SessionEntry>();
		for (const pending of batch) pending.apply(current);
		await write(current);
		for (const pending of batch) pending.resolve();
	} catch (error) {
		if (batch.length === 1) return batch[0]!.reject(error);
		for (const pending of batch) await writeBatch([pending], read, write);
	}
}

const revivers = { URL: (href: string) => new URL(href) };

/** An in-memory SessionStore, for Node mode and tests. */
export function createMemoryStore(): SessionStore & { clear(): void; size(): number } {
	const items = new Map<string, string>();
	return {
		getItem: async (key) => items.get(key),
		setItem: async (key, value) => void items.set(key, value),
		removeItem: async (key) => void items.delete(key),
		clear: () => items.clear(),
		size: () => items.size,
	};
}

/** Astro's `context.session`: lazily loaded, cookie-identified data persisted once per request by persist(). */
export class AstroSession {
	#cookies: AstroCookies;
	#store: SessionStore;
	#ttl: number | undefined;
	#maxSize: number;
	#cookieName: string;
	#cookieOptions: AstroCookieSetOptions;
	#data: Map<string, SessionEntry> | undefined;
	#sessionID: string | undefined;
	#toDestroy = new Set<string>();
	#toDelete = new Set<string>();
	/** keys set or deleted in this request: what persist() writes over the stored data */
	#changed = new Set<string>();
	#dirty = false;
	#cookieSet = false;
	#sessionIDFromCookie = false;
	// True until the stored data has been merged into #data, which until then holds only local changes.
	#partial = true;

	/** `maxSize`: bytes (UTF-8) of the stored form past which persist() writes nothing and throws (config `limits.sessionSize`). */
	constructor(cookies: AstroCookies, config: SessionConfig, store: SessionStore, options: { secure?: boolean; maxSize?: number } = {}) {
		this.#cookies = cookies;
		this.#store = store;
		this.#ttl = config.ttl;
		this.#maxSize = options.maxSize ?? Infinity;
		const { cookie = DEFAULT_COOKIE_NAME } = config;
		const { name = DEFAULT_COOKIE_NAME, ...cookieOptions } = typeof cookie === 'object' ? cookie : { name: cookie };
		this.#cookieName = name || DEFAULT_COOKIE_NAME;
		this.#cookieOptions = { sameSite: 'lax', secure: options.secure ?? true, path: '/', ...cookieOptions, httpOnly: true };
	}

	/** Gets a session value, or undefined if the session or the key does not exist. */
	async get<T = any>(key: string): Promise<T | undefined> {
		return (await this.#ensureData()).get(key)?.data;
	}

	/** Whether the session holds a value for the key. */
	async has(key: string): Promise<boolean> {
		return (await this.#ensureData()).has(key);
	}

	/** All keys of the session. */
	async keys(): Promise<Iterable<string>> {
		return (await this.#ensureData()).keys();
	}

	/** All values of the session. */
	async values(): Promise<Iterable<any>> {
		return [...(await this.#ensureData()).values()].map((entry) => entry.data);
	}

	/** All [key, value] pairs of the session. */
	async entries(): Promise<Iterable<[string, any]>> {
		return [...(await this.#ensureData()).entries()].map(([key, entry]): [string, any] => [key, entry.data]);
	}

	/** Stores a devalue-cloned copy of the value, creating the session (and its cookie) if needed. */
	set<T = any>(key: string, value: T, { ttl }: { ttl?: number } = {}): void {
		if (!key || typeof key !== 'string') throw new SessionStorageSaveError('The session key was not provided.');
		let cloned: unknown;
		try {
			cloned = parse(stringify(value, reducers), revivers);
		} catch (cause) {
			throw new SessionStorageSaveError(
				`The session data for "${key}" could not be serialized: session values must be serializable by devalue (https://github.com/sveltejs/devalue).`,
				{ cause },
			);
		}
		if (!this.#cookieSet) this.#setCookie();
		this.#data ??= new Map();
		const lifetime = ttl ?? this.#ttl;
		this.#data.set(key, { data: cloned, expires: typeof lifetime === 'number' ? Date.now() + lifetime * 1000 : undefined });
		// Astro keeps the key in #toDelete here and so loses a set() that follows a sparse delete().
		this.#toDelete.delete(key);
		this.#changed.add(key);
		this.#dirty = true;
	}

	/** Deletes a session value, without needing to load the session first. */
	delete(key: string): void {
		this.#data?.delete(key);
		if (this.#partial) this.#toDelete.add(key);
		this.#changed.add(key);
		this.#dirty = true;
	}

	/** Moves the session data to a new id; the old id is removed from the store by persist(). */
	async regenerate(): Promise<void> {
		const data = await this.#ensureData().catch(() => new Map<string, SessionEntry>());
		if (this.#sessionID) this.#toDestroy.add(this.#sessionID);
		this.#sessionID = crypto.randomUUID();
		this.#sessionIDFromCookie = false;
		this.#data = data;
		// Everything moves to the new id.
		for (const key of data.keys()) this.#changed.add(key);
		this.#dirty = true;
		this.#setCookie();
	}

	/** Clears the session and deletes its cookie; its stored data is removed by persist(). */
	destroy(): void {
		const sessionID = this.#sessionID ?? this.#cookieID();
		if (sessionID) this.#toDestroy.add(sessionID);
		this.#cookies.delete(this.#cookieName, this.#cookieOptions);
		this.#sessionID = undefined;
		this.#data = undefined;
		this.#toDelete.clear();
		this.#changed.clear();
		this.#cookieSet = false;
		this.#dirty = true;
	}

	/** Replaces the current session with the stored session `id` and points the cookie at it. */
	async load(id: string): Promise<void> {
		this.#sessionID = id;
		this.#sessionIDFromCookie = false;
		this.#data = undefined;
		this.#toDelete.clear();
		this.#changed.clear();
		this.#setCookie();
		await this.#ensureData();
	}

	/** The session id, once something has resolved it. */
	get sessionID(): string | undefined {
		return this.#sessionID;
	}

	/** Alias of sessionID. */
	get id(): string | undefined {
		return this.#sessionID;
	}

	/**
	 * Astro's end-of-request step: writes changed data and removes destroyed or
	 * regenerated-away ids. Unlike Astro (which writes the whole map it loaded),
	 * only this request's changed keys are written over what is stored now, one
	 * write per session at a time, so concurrent requests lose no keys.
	 */
	async persist(): Promise<void> {
		if (!this.#dirty && !this.#toDestroy.size) return;
		if (this.#dirty && this.#changed.size) {
			const data = await this.#ensureData();
			const id = this.#sessionID;
			// Only write under an id the client holds: a cookie set now, or a cookie whose data exists.
			if (id && (this.#cookieSet || this.#sessionIDFromCookie)) {
				const changed = [...this.#changed];
				const apply = (current: Map<string, SessionEntry>) => {
					for (const key of changed) {
						const entry = data.get(key);
						if (entry) current.set(key, entry);
						else current.delete(key);
					}
				};
				const write = async (current: Map<string, SessionEntry>) => {
					const stored = stringify(current, reducers);
					// UTF-8 is at most 3 bytes per UTF-16 unit: encode only when the length alone cannot decide.
					const size = stored.length * 3 <= this.#maxSize ? 0 : new TextEncoder().encode(stored).byteLength;
					if (size > this.#maxSize) {
						throw new SessionStorageSaveError(
							`the session would be ${size} bytes stored, past limits.sessionSize (${this.#maxSize}): this request's changes were not written. Keep large data elsewhere (IndexedDB, Cache Storage) and its key in the session, or raise limits.sessionSize.`,
						);
					}
					await this.#store.setItem(id, stored);
				};
				await commit(this.#store, id, () => this.#read(id), write, apply);
			}
		}
		this.#changed.clear();
		this.#dirty = false;
		const ids = [...this.#toDestroy];
		this.#toDestroy.clear();
		await Promise.all(ids.map((id) => this.#store.removeItem(id)));
	}

	#cookieID(): string | undefined {
		const value = this.#cookies.get(this.#cookieName)?.value;
		return value && UUID_V4.test(value) ? value : undefined;
	}

	#ensureSessionID(): string {
		if (!this.#sessionID) {
			const fromCookie = this.#cookieID();
			this.#sessionIDFromCookie = fromCookie !== undefined;
			this.#sessionID = fromCookie ?? crypto.randomUUID();
		}
		return this.#sessionID;
	}

	#setCookie(): void {
		if (!VALID_COOKIE_NAME.test(this.#cookieName)) {
			throw new SessionStorageSaveError(
				`Invalid session cookie name "${this.#cookieName}" in the session.cookie config: cookie names can only contain letters, numbers, underscores and dashes.`,
			);
		}
		this.#cookies.set(this.#cookieName, this.#ensureSessionID(), this.#cookieOptions);
		this.#cookieSet = true;
	}

	async #ensureData(): Promise<Map<string, SessionEntry>> {
		if (this.#data && !this.#partial) return this.#data;
		const data = (this.#data ??= new Map());
		if (!this.#sessionID && !this.#cookieID()) {
			this.#partial = false;
			return data;
		}
		const stored = await this.#read(this.#ensureSessionID());
		this.#partial = false;
		if (!stored) {
			if (this.#sessionIDFromCookie) {
				// Never adopt a client-chosen id the server has no data for.
				this.#sessionID = crypto.randomUUID();
				this.#sessionIDFromCookie = false;
				if (this.#cookieSet) this.#setCookie();
			}
			return data;
		}
		const now = Date.now();
		for (const [key, entry] of stored) {
			const expired = typeof entry?.expires === 'number' && entry.expires < now;
			if (!data.has(key) && !this.#toDelete.has(key) && !expired) data.set(key, entry);
		}
		return data;
	}

	async #read(id: string): Promise<Map<string, SessionEntry> | undefined> {
		const raw = await this.#store.getItem(id);
		if (!raw) return undefined;
		try {
			const parsed: unknown = parse(raw, revivers);
			if (!(parsed instanceof Map)) return undefined;
			// The page can write the store (IndexedDB is the origin's): an entry this class
			// never writes would make values() or entries() throw in the handler, so it is dropped.
			for (const [key, entry] of parsed) if (typeof key !== 'string' || typeof entry !== 'object' || entry === null) parsed.delete(key);
			return parsed;
		} catch {
			return undefined;
		}
	}
}
