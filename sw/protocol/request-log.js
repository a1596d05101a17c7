// The request log Node mode and the Playwright fixture keep: the records since the
// last reset, and a stream of them. Plain JS, so both import it as it is.

/** @typedef {import('./messages.ts').RequestRecord} RequestRecord */

/**
 * A request log: `add` as records arrive, `clear` on reset.
 * @param {string} host how an error names the host ("Node mode", "the fixture")
 * @returns {import('./records.ts').RequestLog & { add(record: RequestRecord): void, clear(): void }}
 */
export function createRequestLog(host) {
	/** @type {RequestRecord[]} */
	let requests = [];
	/** @type {Set<(record: RequestRecord) => void>} */
	const listeners = new Set();
	return {
		get requests() {
			return requests;
		},
		on(event, listener) {
			if (event !== 'request') throw new TypeError(`[sw-endpoints] unknown event "${event}"; ${host} has "request"`);
			listeners.add(listener);
			return () => void listeners.delete(listener);
		},
		add(record) {
			requests.push(record);
			for (const listener of listeners) listener(record);
		},
		clear() {
			requests = [];
		},
	};
}
