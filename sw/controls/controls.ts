// The run-time controls (use, delay, fail, seed, install, reset, …): one
// implementation for both hosts, which only carry calls to it. The worker calls
// it from page messages and keeps the rules in IndexedDB: they outlast the worker
// (the browser stops idle workers) and are evaluated again, from source text,
// when a new instance starts. Node mode calls it directly and keeps nothing.
// The handler consults the layer (layer.ts) these controls fill.
import type { KeyValueStore } from '../core/kv.ts';
import type { APIContext } from '../core/types.ts';
import type { Controls, InstalledEndpoint, StateControlName } from '../protocol/controls.ts';
import { componentOf, createControlLayer, evaluateHandler, evaluateModule, pagesPath, routeOfFile, type OverrideHandler, type RulesSnapshot } from './layer.ts';

/** What `use()` takes in-process: a function or a Response, or a function's source text (what a page sends). */
export type ControlHandler = OverrideHandler | string;

/** The controls every build has, without this module: the host's own state (default locals, cookies, sessions). */
export type StateControls = Pick<Controls<ControlHandler>, StateControlName>;

/** What the controls need from their host; `Caller` is who calls (the worker: the page's client id). */
export interface ControlsOptions<Caller> {
	/** the config's base: seed() writes through a route under it */
	base: string;
	/** the site's origin, for seed()'s request */
	origin: string;
	/** where rules and installed code are kept (the worker's IndexedDB); none: nothing is kept (Node) */
	store?: KeyValueStore<unknown>;
	/** the running build's version: installed code is kept for the build it was installed under (unless `keep`) */
	version?: string;
	logger?: Pick<Console, 'warn'>;
	/** the host's state controls for a caller: reset() here adds forgetting the rules */
	state(caller: Caller): StateControls;
	/** one request as the caller's page would fetch() it, left out of the request log: seed() writes through one */
	send(request: Request, caller: Caller): Promise<Response>;
	/** false: no cookie jar to seed (Node mode as a server) */
	cookieJar?: boolean;
}

interface StoredEndpoint {
	file: string;
	code: string;
	source?: string;
	/** the build it was installed under */
	version?: string;
	/** kept across builds on purpose (`install(file, code, { keep: true })`) */
	keep?: boolean;
}

const RULES = 'rules';
const ENDPOINT = 'endpoint:';
/** The route seed() installs for its one request. */
const SEED_PATH = '/__sw-endpoints/seed';

/** seed()'s handler: writes the cookies and session values it is sent, as an endpoint would. */
async function seedHandler({ request, cookies, session }: APIContext): Promise<Response> {
	const data = (await request.json()) as { cookies?: Record<string, string>; session?: Record<string, unknown> };
	for (const [name, value] of Object.entries(data.cookies ?? {})) cookies.set(name, value, { path: '/' });
	const values = Object.entries(data.session ?? {});
	if (values.length && !session)
		return new Response('seed(): sessions are off in this build (no source under src/ mentions session), so session values cannot be stored', { status: 500 });
	for (const [key, value] of values) session!.set(key, value);
	return new Response(null, { status: 204 });
}

export function createControls<Caller>(options: ControlsOptions<Caller>) {
	const { store } = options;
	const log = options.logger ?? console;
	const seedPath = `${options.base.replace(/\/$/, '')}${SEED_PATH}`;
	/** installed endpoints' sources, by component */
	const sources = new Map<string, string | undefined>();
	let writes: Promise<unknown> = Promise.resolve();
	let loading = store !== undefined;
	const layer = createControlLayer({
		base: options.base,
		// Rules change on use/reset and as `once` / `times` are used up; writes stay in order.
		onChange: () => {
			if (loading || !store) return;
			const snapshot = layer.snapshot();
			writes = writes.then(() => store.set(RULES, snapshot)).catch((error: unknown) => log.warn('[sw-endpoints] could not save the overrides:', error));
		},
	});

	function applyUse(method: string, path: string, handler: ControlHandler, once?: boolean): void {
		// Source text (from a page, or stored) is evaluated here, and kept to be stored.
		const fn = typeof handler === 'string' ? evaluateHandler(handler, `use(${method} ${path})`) : handler;
		layer.use(method, path, fn, { once, source: typeof handler === 'string' ? handler : undefined });
	}

	function applyInstall(entry: StoredEndpoint): InstalledEndpoint {
		const mod = evaluateModule(entry.code, entry.file);
		const route = layer.install(entry.file, mod);
		sources.set(route.component, entry.source);
		return { file: pagesPath(route.component), route: route.route, methods: route.methods ?? [], source: entry.source };
	}

	/** Loads what an earlier worker instance stored; a rule that no longer evaluates is skipped with a warning. */
	async function load(kept: KeyValueStore<unknown>): Promise<void> {
		try {
			const items = await kept.entries();
			for (const [key, value] of items) {
				if (!key.startsWith(ENDPOINT)) continue;
				const entry = value as StoredEndpoint;
				// Code installed under another build is not this build's: a new deploy starts from what it ships.
				if (entry.version !== options.version && !entry.keep) {
					log.warn(
						`[sw-endpoints] dropped the installed endpoint ${entry.file}: it was installed under another build (install it with { keep: true } to keep it across builds)`,
					);
					await kept.delMany([key]);
					continue;
				}
				try {
					applyInstall(entry);
				} catch (error) {
					log.warn(`[sw-endpoints] the installed endpoint ${(value as StoredEndpoint).file} no longer loads:`, error);
				}
			}
			const rules = items.find(([key]) => key === RULES)?.[1] as RulesSnapshot | undefined;
			for (const o of rules?.uses ?? []) {
				try {
					applyUse(o.method, o.path, o.source, o.once);
				} catch (error) {
					log.warn('[sw-endpoints] a stored override no longer loads:', error);
				}
			}
			for (const rule of rules?.network ?? []) layer.network(rule);
		} catch (error) {
			log.warn('[sw-endpoints] could not read the stored overrides and installed endpoints:', error);
		} finally {
			loading = false;
		}
	}
	const ready = store ? load(store) : Promise.resolve();

	/** Runs `apply` once the stored rules are loaded; at once when they are, so in Node a rule applies before use() returns. */
	const whenLoaded = <T>(apply: () => T | Promise<T>): Promise<T> => (loading ? ready.then(apply) : new Promise<T>((resolve) => resolve(apply())));

	/** The controls as `caller` uses them (its page's cookies are the ones reset() and seed() touch). */
	function from(caller: Caller): Controls<ControlHandler> {
		const state = options.state(caller);
		return {
			use: (method, path, handler, useOptions = {}) => whenLoaded(() => applyUse(method, path, handler, useOptions.once)),
			delay: (path, ms, ruleOptions = {}) => whenLoaded(() => layer.network({ path, delay: ms, method: ruleOptions.method })),
			fail: (path, ruleOptions = {}) => whenLoaded(() => layer.network({ path, fail: true, method: ruleOptions.method, times: ruleOptions.times })),
			/** Evaluates and installs; rejects (leaving the previous version serving) when the code fails. */
			install: (file, code, installOptions = {}) =>
				whenLoaded(async () => {
					routeOfFile(file);
					const installed = applyInstall({ file, code, source: installOptions.source });
					const stored: StoredEndpoint = { file: installed.file, code, source: installOptions.source, version: options.version, keep: installOptions.keep };
					await store?.set(`${ENDPOINT}${componentOf(installed.file)}`, stored);
					return installed;
				}),
			uninstall: (file) =>
				whenLoaded(async () => {
					layer.uninstall(file);
					sources.delete(componentOf(file));
					await store?.delMany([`${ENDPOINT}${componentOf(file)}`]);
				}),
			installed: () => whenLoaded(() => layer.installed().map((e) => ({ ...e, source: sources.get(componentOf(e.file)) }))),
			setLocals: state.setLocals,
			cookies: state.cookies,
			/** The host's state, and the overrides and network rules (waiting until that is stored); installed endpoints are code, not state: they stay. */
			async reset() {
				await Promise.all([
					state.reset(),
					whenLoaded(() => {
						layer.reset();
						return writes;
					}),
				]);
			},
			async seed(data) {
				if (data.locals) await state.setLocals(data.locals);
				if (!data.cookies && !data.session) return;
				if (data.cookies && options.cookieJar === false)
					throw new Error('[sw-endpoints] seed({ cookies }) needs a cookie jar: create the emulator with { browser: true } (setupEmulator does)');
				// One request through the whole pipeline (middleware, sessions, the jar), as an endpoint would write them.
				await whenLoaded(() => layer.use('POST', seedPath, seedHandler, { once: true }));
				const request = new Request(new URL(seedPath, options.origin), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(data),
				});
				const response = await options.send(request, caller);
				if (!response.ok) throw new Error(`[sw-endpoints] seed(): ${await response.text()}`);
			},
		};
	}

	return {
		/** what the handler consults before the route table */
		layer,
		/** resolves once the stored rules are loaded */
		ready,
		/** whether they are (until then the worker cannot tell synchronously what it answers) */
		get loaded(): boolean {
			return !loading;
		},
		from,
	};
}
