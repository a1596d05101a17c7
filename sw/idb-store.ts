// The session store of the worker: IndexedDB through idb-keyval. The only module
// that imports idb-keyval; the session code receives the store.
import { createStore, del, get, set } from 'idb-keyval';
import type { SessionStore } from './session.ts';

/** A SessionStore in its own IndexedDB database (`sw-endpoints`, object store `sessions`). */
export function createIdbSessionStore(): SessionStore {
	const store = createStore('sw-endpoints-sessions', 'sessions');
	return {
		getItem: (key) => get<string>(key, store),
		setItem: (key, value) => set(key, value, store),
		removeItem: (key) => del(key, store),
	};
}
