// The storage seam: a key-value store passed in (IndexedDB in the worker,
// memory in Node and tests), as idb-keyval's own API shapes it.

/** The key-value storage state persists to (IndexedDB in the worker, memory in Node). */
export interface KeyValueStore<V> {
	get(key: string): Promise<V | undefined>;
	set(key: string, value: V): Promise<void>;
	setMany(items: Array<[string, V]>): Promise<void>;
	delMany(keys: string[]): Promise<void>;
	entries(): Promise<Array<[string, V]>>;
	clear(): Promise<void>;
}

/** An in-memory KeyValueStore, for Node mode and tests. */
export function createMemoryKv<V>(): KeyValueStore<V> {
	const items = new Map<string, V>();
	return {
		get: async (key) => items.get(key),
		set: async (key, value) => void items.set(key, value),
		setMany: async (list) => list.forEach(([k, v]) => items.set(k, v)),
		delMany: async (keys) => keys.forEach((k) => items.delete(k)),
		entries: async () => [...items],
		clear: async () => items.clear(),
	};
}
