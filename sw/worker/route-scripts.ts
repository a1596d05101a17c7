/// <reference lib="webworker" />
// Endpoint code in scripts of its own, in builds with many endpoints
// (build/worker-scripts.mjs): sw.js holds the runtime, the route table and the
// modules several endpoints share; each `sw-routes/<n>-<hash>.js` holds a group of
// endpoint modules, registered when the script runs and initialised on first use.
// A restarted worker so compiles sw.js and the one group a request needs, not
// every endpoint of the site.
//
// A group's text is cached right after install, as prerendered outputs are (the
// precache; one not cached yet is fetched), and compiled on first use. Where the worker may not compile text (a
// Content-Security-Policy on sw.js without 'unsafe-eval'), every group is
// imported with importScripts() at install instead. Probed in Chromium 156,
// Firefox 153 ESR and WebKitGTK 2.50: importScripts() of a new URL works in the
// install handler, and once installed a worker imports only those URLs (from its
// script cache; any other throws a NetworkError). It is the slower way in: in
// Chromium each import at install took 10–15 ms (20 groups: 180–360 ms before the
// first answer), where caching them is one parallel fill.

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
	const evaluates = mayCompile();
	const urlOf = (n: number) => new URL(scripts[n].url, self.location.href).href;
	async function run(n: number) {
		if (groups[n]) return groups[n];
		if (!evaluates) {
			importScripts(urlOf(n));
			return groups[n];
		}
		const text = await read(urlOf(n));
		if (text === undefined) throw new Error(`[sw-endpoints] ${scripts[n].url} could not be read from the cache or the network: deploy sw-routes/ beside sw.js`);
		// Global code, named after its file, so stack traces and its source map point at it.
		if (!groups[n]) (0, eval)(`${text}\n//# sourceURL=${urlOf(n)}`);
		return groups[n];
	}
	async function load(n: number, index: number): Promise<unknown> {
		const missing = scripts[n].shared.filter((key) => !namespaces.has(key));
		await Promise.all(missing.map(async (key) => namespaces.set(key, esModule(await shared[key]()))));
		return (await run(n))[index]();
	}
	scripts.forEach(({ routes }, n) => {
		for (const index of routes) table[index].load = () => load(n, index);
	});
	// Where the worker may not compile text, every group is imported now, in the install handler, or never (see the file's header).
	self.addEventListener('install', () => {
		if (!evaluates) for (let n = 0; n < scripts.length; n++) importScripts(urlOf(n));
	});
}

/** A group's text: from the precache (the URL holds its content hash), else the network. */
async function read(url: string): Promise<string | undefined> {
	const response = (await caches.match(url)) ?? (await fetch(url, { priority: 'high' }).catch(() => undefined));
	// A static host's fallback page (an HTML 200 for a missing file) is not the script either.
	return response?.ok && !response.headers.get('content-type')?.includes('html') ? response.text() : undefined;
}

/** Whether this worker may compile code from text (a Content-Security-Policy without 'unsafe-eval' forbids it). */
function mayCompile(): boolean {
	try {
		new Function('');
		return true;
	} catch {
		return false;
	}
}

/**
 * A module namespace as group code imports it (esbuild's interop reads
 * `__esModule` to take `default` from it rather than wrapping the whole); the
 * getters are copied, so bindings stay live.
 */
function esModule(namespace: object): object {
	return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(namespace), __esModule: { value: true } });
}
