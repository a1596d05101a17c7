/// <reference lib="webworker" />
// Endpoint code in scripts of its own, in builds with many endpoints
// (build/worker-scripts.mjs): sw.js holds the runtime, the route table and the
// modules several endpoints share; each `sw-routes/<n>-<hash>.js` holds a group of
// endpoint modules, registered when the script runs and initialised on first use.
// A restarted worker so compiles sw.js and the one group a request needs, not
// every endpoint of the site.
//
// Probed in Chromium 156, Firefox 153 ESR and WebKitGTK 2.50: importScripts() of a
// new URL works in the install handler; once installed, a worker imports only
// the URLs it imported then (from its script cache), and any other throws a
// NetworkError. So every group is imported at install, where running one only
// registers its loaders.

/** One group's script (relative to sw.js), the shared modules its endpoints import, and their indices in the route table. */
export interface RouteScript {
	url: string;
	shared: string[];
	routes: number[];
}

type Loader = () => Promise<unknown>;
type Scope = ServiceWorkerGlobalScope & {
	/** what each group script registers: its endpoints' loaders by route index */
	__sweRoutes?: Record<number, Record<number, Loader>>;
	/** a shared module's namespace, for a group's code (its imports of shared modules read this) */
	__sweShared?: (key: string) => object;
	/** the injected Response (sw/core/response.ts), which group code uses for `Response` */
	__sweResponse?: typeof Response;
};
declare const self: Scope;

/**
 * Sets the loader of every route whose code is in a group script. `shared` loads
 * (lazily, as the bundled modules they are) the modules of sw.js that group code imports.
 */
export function routeScripts(table: Array<{ load?: Loader }>, scripts: RouteScript[], shared: Record<string, () => Promise<object>>) {
	const groups = (self.__sweRoutes ??= {});
	const namespaces = new Map<string, object>();
	self.__sweResponse = Response;
	self.__sweShared = (key) => {
		const namespace = namespaces.get(key);
		if (!namespace) throw new Error(`[sw-endpoints] the shared module ${key} was not loaded before the endpoint code that imports it: rebuild the worker`);
		return namespace;
	};
	const run = (n: number) => {
		if (!groups[n]) importScripts(new URL(scripts[n].url, self.location.href).href);
		return groups[n];
	};
	async function load(n: number, index: number): Promise<unknown> {
		const missing = scripts[n].shared.filter((key) => !namespaces.has(key));
		await Promise.all(missing.map(async (key) => namespaces.set(key, esModule(await shared[key]()))));
		return run(n)[index]();
	}
	scripts.forEach(({ routes }, n) => {
		for (const index of routes) table[index].load = () => load(n, index);
	});
	return {
		/** Imports every group (called synchronously by the install handler): see the file's header. */
		install(): void {
			for (let n = 0; n < scripts.length; n++) run(n);
		},
	};
}

/**
 * A module namespace as group code imports it (esbuild's interop reads
 * `__esModule` to take `default` from it rather than wrapping the whole); the
 * getters are copied, so bindings stay live.
 */
function esModule(namespace: object): object {
	return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(namespace), __esModule: { value: true } });
}
