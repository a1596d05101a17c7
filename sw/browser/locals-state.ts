// The browser state of a project whose code (its packages too) never mentions cookies: only the
// default locals the page set. Same shape as state.ts, without the jar.
import type { KeyValueStore } from '../core/kv.ts';

/** One request's view of the browser state, from `begin()` to `finish()`. */
export interface StateExchange {
	/** the Cookie header to send, or null */
	cookie: string | null;
	/** a fresh copy of the default locals */
	locals: Record<string, unknown>;
	/** absorbs the response's Set-Cookie lines; resolves once they are stored */
	finish(setCookies: readonly string[]): Promise<void>;
}

/** A fresh copy of the default locals (none set: a new empty object, without structuredClone's cost). */
function copyOf(locals: Record<string, unknown>): Record<string, unknown> {
	for (const _ in locals) return structuredClone(locals);
	return {};
}

/** Locals-only browser state (the build picks it when no source mentions `cookie` or `session`). */
export function createLocalsState(options: { meta: KeyValueStore<unknown> }) {
	const { meta } = options;
	let locals: Promise<Record<string, unknown>> | undefined;
	const load = () =>
		(locals ??= meta.get('locals').then(
			(v) => (v ?? {}) as Record<string, unknown>,
			(error: unknown) => {
				locals = undefined;
				throw error;
			},
		));
	return {
		async begin(): Promise<StateExchange> {
			return { cookie: null, locals: copyOf(await load()), finish: async () => {} };
		},
		async setLocals(value: Record<string, unknown>): Promise<void> {
			await meta.set('locals', structuredClone(value));
			locals = Promise.resolve(structuredClone(value));
		},
		/** Starts reading what the first request needs (a restarted worker: storage opens meanwhile); a failure is met again by that request. */
		preload(): void {
			load().catch(() => undefined);
		},
		/** Drops the memory copy (the next request reads storage again). */
		forget(): void {
			locals = undefined;
		},
		async reset(): Promise<void> {
			locals = Promise.resolve({});
			await meta.clear();
		},
	};
}
