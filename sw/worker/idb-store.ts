// The worker's storage: one IndexedDB database (`sw-endpoints`) with a store each
// for sessions, cookies, page-set defaults and run-time rules, through idb-keyval. The only
// module that imports idb-keyval; everything else receives these stores.
import { clear, del, delMany, entries, get, promisifyRequest, set, setMany, type UseStore } from 'idb-keyval';
import type { KeyValueStore } from '../core/kv.ts';
import type { SessionStore } from '../core/session.ts';

const DB_NAME = 'sw-endpoints';
const STORES = ['sessions', 'cookies', 'meta', 'runtime'] as const;

const BLOCKED = `IndexedDB "${DB_NAME}" cannot be upgraded while another tab of this site holds it open; close the other tabs and reload`;

/**
 * Opens (creating on first use) the database. `ready` settles once it is open;
 * `onBlocked` is called when another connection (a tab of an older release)
 * holds it at an older version: the open stays pending until that closes.
 * `created`: it did not exist.
 */
function openDatabase(created: () => void, onBlocked: (error: Error) => void): Promise<IDBDatabase> {
	// Version 2 added `runtime` (overrides, network rules, installed endpoints).
	const request = indexedDB.open(DB_NAME, 2);
	request.onupgradeneeded = (event) => {
		if (event.oldVersion === 0) created();
		for (const name of STORES) if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
	};
	request.onblocked = () => onBlocked(new Error(BLOCKED));
	return promisifyRequest(request);
}

/**
 * The worker's stores; the database opens on first use and reopens after it was
 * closed. Storage cleared under a running worker (site data cleared by the user or
 * by `Storage.clearDataForOrigin`) closes the connection, or is found when the
 * database has to be created again: then `onCleared` listeners drop what they hold
 * in memory, so cleared cookies and sessions are neither sent nor written back.
 */
export function createIdbStores() {
	// What callers await: the open in progress, the open database, or (while another tab blocks the
	// upgrade) a rejection, so requests fail fast with what to do instead of queueing behind the
	// pending open (a second open request would wait behind it and never see `blocked`: a deadlock).
	let database: Promise<IDBDatabase> | undefined;
	let opened = false;
	const clearedListeners = new Set<() => void>();
	const cleared = () => {
		sessions.forget();
		for (const listener of clearedListeners) listener();
	};
	const open = () =>
		(database ??= new Promise<IDBDatabase>((resolve, reject) => {
			const opening = openDatabase(
				() => {
					if (opened) cleared();
				},
				(error) => {
					reject(error);
					database = Promise.reject(error);
					database.catch(() => undefined);
				},
			);
			opening.then(
				(db) => {
					opened = true;
					db.onversionchange = () => {
						db.close();
						database = undefined;
					};
					// Not called for db.close(): only when the browser closed it (storage cleared, or lost).
					db.onclose = () => {
						database = undefined;
						cleared();
					};
					database = Promise.resolve(db);
					resolve(db);
				},
				(error: unknown) => {
					database = undefined;
					reject(error);
				},
			);
		}));
	const use =
		(name: (typeof STORES)[number]): UseStore =>
		(mode, callback) =>
			open().then((db) => callback(db.transaction(name, mode).objectStore(name)));
	const kv = <V>(name: (typeof STORES)[number]): KeyValueStore<V> => {
		const store = use(name);
		return {
			get: (key) => get<V>(key, store),
			set: (key, value) => set(key, value, store),
			setMany: (items) => setMany(items, store),
			delMany: (keys) => delMany(keys, store),
			entries: () => entries<string, V>(store),
			clear: () => clear(store),
		};
	};
	const sessions = cachedSessionStore(use('sessions'));
	return {
		sessions,
		cookies: kv<import('../browser/cookie-jar.ts').JarCookie>('cookies'),
		meta: kv<unknown>('meta'),
		runtime: kv<unknown>('runtime'),
		/** Runs `listener` when the stored data was found cleared under this worker; returns a function that stops. */
		onCleared(listener: () => void): () => void {
			clearedListeners.add(listener);
			return () => clearedListeners.delete(listener);
		},
	};
}

/**
 * Sessions with a write-through memory cache: reads come from memory after the
 * first, writes resolve once IndexedDB committed them. Sound because one worker
 * serves every tab of the scope; after a restart the cache refills from disk.
 */
function cachedSessionStore(store: UseStore): SessionStore & { clear(): Promise<void>; forget(): void } {
	const cache = new Map<string, string | undefined>();
	return {
		async getItem(key) {
			if (cache.has(key)) return cache.get(key);
			const value = await get<string>(key, store);
			// A write that finished meanwhile is newer than what this read saw.
			if (!cache.has(key)) cache.set(key, value);
			return cache.get(key);
		},
		async setItem(key, value) {
			await set(key, value, store);
			cache.set(key, value);
		},
		async removeItem(key) {
			await del(key, store);
			cache.set(key, undefined);
		},
		async clear() {
			cache.clear();
			await clear(store);
		},
		/** Drops the memory copy (the next read goes to IndexedDB). */
		forget() {
			cache.clear();
		},
	};
}
