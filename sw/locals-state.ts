// The browser state of a project whose sources never mention cookies: only the
// default locals the page set. Same shape as client-state.ts, without the jar.
import type { KeyValueStore, StateExchange } from './client-state.ts';

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
			return { cookie: null, locals: structuredClone(await load()), finish: async () => {} };
		},
		async setLocals(value: Record<string, unknown>): Promise<void> {
			await meta.set('locals', structuredClone(value));
			locals = Promise.resolve(structuredClone(value));
		},
		async reset(): Promise<void> {
			locals = Promise.resolve({});
			await meta.clear();
		},
	};
}
