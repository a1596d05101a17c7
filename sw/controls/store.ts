// The worker's run-time layer kept in storage: overrides and network rules sent
// as source text, and endpoints installed as compiled code. They live in
// IndexedDB so they outlast the worker (the browser stops idle workers) and are
// evaluated again, with `new Function`, when a new worker instance starts.
import type { KeyValueStore } from '../core/kv.ts';
import { createOverrides, evaluateModule, routeOfFile, type NetworkRule, type RulesSnapshot } from './layer.ts';
import type { ClientMessage, InstalledEndpoint, WireOverride, WorkerMessage } from '../protocol/messages.ts';

interface StoredEndpoint {
	file: string;
	code: string;
	source?: string;
}

const RULES = 'rules';
const ENDPOINT = 'endpoint:';

/** Turns an override's source text (a function expression) into the function. */
export function evaluateHandler(source: string, where: string): (context: never) => unknown {
	let value: unknown;
	try {
		value = new Function(`"use strict";\nreturn (${source});`)();
	} catch (error) {
		throw new Error(`${where}: the handler does not compile: ${(error as Error).message}`);
	}
	if (typeof value !== 'function') throw new Error(`${where}: the handler must be a function (context) => Response, got ${typeof value}`);
	return value as (context: never) => unknown;
}

export function createRuntimeStore(options: { store: KeyValueStore<unknown>; base: string; logger?: Pick<Console, 'warn'> }) {
	const { store } = options;
	const log = options.logger ?? console;
	const sources = new Map<string, StoredEndpoint>();
	let writes: Promise<unknown> = Promise.resolve();
	let loading = true;
	const overrides = createOverrides({
		base: options.base,
		// Rules change on use/reset and as `once` / `times` are used up; writes stay in order.
		onChange: () => {
			if (loading) return;
			const snapshot = overrides.snapshot();
			writes = writes.then(() => store.set(RULES, snapshot)).catch((error: unknown) => log.warn('[sw-endpoints] could not save the overrides:', error));
		},
	});

	function applyUse(o: WireOverride): void {
		const where = `use(${o.method} ${o.path})`;
		overrides.use(o.method, o.path, evaluateHandler(o.source, where) as never, { once: o.once, source: o.source });
	}

	function applyInstall(entry: StoredEndpoint): InstalledEndpoint {
		const mod = evaluateModule(entry.code, entry.file);
		const route = overrides.install(entry.file, mod);
		sources.set(route.component, entry);
		return { file: route.component.replace(/^src\/pages\//, ''), route: route.route, methods: route.methods ?? [], source: entry.source };
	}

	/** Loads what an earlier worker instance stored; a rule that no longer evaluates is skipped with a warning. */
	const ready = (async () => {
		try {
			const items = await store.entries();
			for (const [key, value] of items) {
				if (!key.startsWith(ENDPOINT)) continue;
				try {
					applyInstall(value as StoredEndpoint);
				} catch (error) {
					log.warn(`[sw-endpoints] the installed endpoint ${(value as StoredEndpoint).file} no longer loads:`, error);
				}
			}
			const rules = items.find(([key]) => key === RULES)?.[1] as RulesSnapshot | undefined;
			for (const o of rules?.uses ?? []) {
				try {
					applyUse(o);
				} catch (error) {
					log.warn('[sw-endpoints] a stored override no longer loads:', error);
				}
			}
			for (const rule of rules?.network ?? []) overrides.network(rule);
		} catch (error) {
			log.warn('[sw-endpoints] could not read the stored overrides and installed endpoints:', error);
		} finally {
			loading = false;
		}
	})();

	const runtime = {
		overrides,
		ready,
		/** whether the stored rules are loaded (until then the worker cannot tell synchronously what it answers) */
		get loaded() {
			return !loading;
		},
		use(o: WireOverride): void {
			applyUse(o);
		},
		network(rule: NetworkRule): void {
			overrides.network(rule);
		},
		/** Evaluates and installs; throws (leaving the previous version serving) when the code fails. */
		async install(file: string, code: string, source?: string): Promise<InstalledEndpoint> {
			routeOfFile(file);
			const installed = applyInstall({ file, code, source });
			await store.set(`${ENDPOINT}src/pages/${installed.file}`, { file: installed.file, code, source });
			return installed;
		},
		async uninstall(file: string): Promise<void> {
			const component = `src/pages/${file.replace(/^\/+/, '').replace(/^src\/pages\//, '')}`;
			overrides.uninstall(file);
			sources.delete(component);
			await store.delMany([`${ENDPOINT}${component}`]);
		},
		installed(): InstalledEndpoint[] {
			return overrides.installed().map((e) => ({ ...e, source: sources.get(`src/pages/${e.file}`)?.source }));
		},
		/** Forgets overrides and network rules, and waits until that is stored. */
		async reset(): Promise<void> {
			overrides.reset();
			await writes;
		},
		/** Answers a page's control message (once the stored rules are loaded). */
		async answer(message: Extract<ClientMessage, { type: 'use' | 'network' | 'install' | 'uninstall' | 'installed' }>): Promise<WorkerMessage> {
			await ready;
			if (message.type === 'use') runtime.use(message.override);
			else if (message.type === 'network') runtime.network(message.rule);
			else if (message.type === 'install') return { type: 'installed', endpoint: await runtime.install(message.file, message.code, message.source) };
			else if (message.type === 'uninstall') await runtime.uninstall(message.file);
			else return { type: 'endpoints', list: runtime.installed() };
			return { type: 'done' };
		},
	};
	return runtime;
}
