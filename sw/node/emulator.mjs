// Node mode: the same handler on the same route table as the worker, in-process,
// for unit tests and tools. Endpoints load straight from src/pages (TypeScript
// included) through the same esbuild bundle the worker gets (build/node-bundle.mjs).
//
//   import { createEmulator } from 'sw-endpoints/node';
//   const emulator = await createEmulator({ root: 'demo' });
//   const res = await emulator.fetch('/api/posts/1');
//   await emulator.close();
//
// For Vitest (happy-dom or node environment), `setupEmulator` (testing/vitest.mjs)
// makes the test's own fetch() reach the endpoints.
import { loadNodeBundle } from '../../build/node-bundle.mjs';
import { prerenderRoutes } from '../../build/prerender.mjs';
import { analyze } from '../../build/analyze.mjs';
import { contentTypeOf } from '../core/content-types.js';
import { createRequestLog } from '../protocol/request-log.js';

/** @typedef {import('../protocol/messages.ts').RequestRecord} RequestRecord */
/** @typedef {import('../controls/controls.ts').ControlHandler} ControlHandler */
/** @typedef {typeof import('./entry.ts')} Entry */

/**
 * Node mode's emulator: the controls every host has (use, delay, fail, seed, setLocals,
 * reset, install, cookies: `Controls`, as the page's client and the Playwright fixture),
 * the request log, and a `fetch` the endpoints answer in-process.
 * @typedef {import('../protocol/controls.ts').Controls<ControlHandler> & import('../protocol/records.ts').RequestLog & NodeEmulator} Emulator
 */

/**
 * What only Node mode has.
 * @typedef {object} NodeEmulator
 * @property {(input: Request | string | URL, init?: RequestInit) => Promise<Response>} fetch answers one request; relative URLs resolve against `origin`. In browser mode it behaves as the page's fetch() would (cookies, Origin, redirects followed, network errors reject)
 * @property {() => Promise<void>} reset a clean state, as between tests (setupEmulator calls it after each one).
 * Forgets: cookies (the jar, and in browser mode every cookie `document.cookie` shows), every session, the default
 * locals (`setLocals`, `seed`), overrides (`use`), network rules (`delay`, `fail`) and the request log (`requests`);
 * with `freshModules` (the default) also module state: the bundle is evaluated again (not rebuilt), so endpoint and
 * middleware modules, and whatever they import (src/ files, bundled packages), start over on their next use, and
 * installed endpoints are evaluated again from their code.
 * Keeps: installed endpoints (`install`: code, not state), `on('request')` listeners, the route table, config and
 * prerendered outputs (read once by createEmulator: a changed file needs a new emulator), and whatever lies outside
 * the bundle: globals endpoint code changed, timers it started (the old modules are dropped, not stopped), the real
 * network. A request still running when reset() is called finishes against the state it started with.
 * @property {(response: Response) => string[]} setCookies the Set-Cookie lines of a response from `fetch`
 * @property {string} origin
 * @property {import('../../build/routes.mjs').RouteData[]} routes the route table, in priority order
 * @property {Record<string, any>} config the resolved config
 * @property {(url: URL) => boolean} answers whether a request for `url` reaches a route, an override or a static file
 * @property {Array<{ path: string, body: Uint8Array }>} prerendered the prerendered outputs (path relative, like Astro's dist/client), served for GET/HEAD before the handler
 * @property {() => Promise<void>} close frees the bundle
 */

/**
 * @typedef {object} EmulatorOptions
 * @property {string} root the project folder (the one holding src/pages)
 * @property {Record<string, any>} [config] config values (Astro's names), over the config file's
 * @property {string} [configFile]
 * @property {string} [origin] the site's origin (default http://localhost:4321)
 * @property {Pick<Console, 'error' | 'warn' | 'info' | 'debug'>} [logger]
 * @property {string} [clientAddress]
 * @property {boolean} [browser] behave like a browser page: keep a cookie jar, add Origin, follow redirects (default false: requests go to the handler as given, as to a server)
 * @property {boolean} [quiet] do not print the request log (default true in Node; records still reach on('request'))
 * @property {{ cookie: string }} [document] browser mode: the page document (happy-dom) whose document.cookie mirrors the jar's page-visible cookies
 * @property {boolean} [freshModules] reset() also starts endpoint and middleware modules over: their module-level variables
 * (`const todos = []`) and everything they import begin again, as in a new worker. Default true; false keeps module state
 * for the emulator's life, as a long-running server does
 */

/**
 * One evaluation of the bundle and what Node mode builds on it: the handler, its controls and (browser mode) the cookie jar.
 * @typedef {object} Instance
 * @property {Entry} mod
 * @property {ReturnType<Entry['create']>} handler
 * @property {ReturnType<Entry['createClientState']> | undefined} browser
 * @property {import('../protocol/controls.ts').Controls<ControlHandler>} own the controls, as Node mode calls them
 */

/** Project warnings already printed, per logger: each emulator of a test run would repeat them. @type {WeakMap<object, Set<string>>} */
const printedWarnings = new WeakMap();

/**
 * Prints the project's warnings (lowercase method exports, unsupported pages, route collisions) as the build does, once per logger.
 * @param {string[]} warnings
 * @param {Pick<Console, 'warn'>} logger
 */
function printWarnings(warnings, logger) {
	let printed = printedWarnings.get(logger);
	if (!printed) printedWarnings.set(logger, (printed = new Set()));
	for (const warning of warnings) {
		if (printed.has(warning)) continue;
		printed.add(warning);
		logger.warn(`[sw-endpoints] warning: ${warning}`);
	}
}

/**
 * Builds the project's endpoints in memory and returns a `fetch` that answers with them.
 * @param {EmulatorOptions} options
 * @returns {Promise<Emulator>}
 */
export async function createEmulator(options) {
	const project = await analyze(options);
	const logger = options.logger ?? console;
	printWarnings(project.warnings, logger);
	// On by default. resetAfterEach promises each test a clean backend, and an MSW user
	// resets handlers after each test for the same reason; Playwright mode gives every test
	// a new worker, so new modules, and the same tests should pass in both modes. A reset
	// that dropped the sessions but kept the in-memory records an endpoint keeps beside
	// them would be half of one. The cost per test is small: the bundle is evaluated
	// again, not rebuilt (a rebuild is ~50 ms), which for examples/todo-app and demo takes
	// 0.1-0.2 ms, 0.2-0.4 ms for the whole reset(), and the next request runs 0.2-0.3 ms
	// slower on code V8 has not warmed up yet; under Vitest + happy-dom a one-request test
	// went from ~0.9 to ~1.4 ms. Nothing is retained (the old instance is garbage-collected),
	// and a reset with no module loaded since the last one evaluates nothing. Off suits
	// modules whose start-up is expensive, or suites that share module state on purpose.
	const freshModules = options.freshModules ?? true;
	const bundle = await loadNodeBundle(project);
	/** @type {Entry} */
	const first = bundle.mod;
	let prerendered;
	try {
		prerendered = await prerenderRoutes(project, first, logger);
	} catch (error) {
		bundle.dispose();
		throw error;
	}
	const byPath = new Map(prerendered.map((/** @type {{ path: string, body: Uint8Array }} */ f) => [f.path, f]));
	const prefix = project.config.base === '/' ? '/' : `${project.config.base}/`;
	/** @param {string} pathname */
	const files = (pathname) => {
		const path = first.staticPath(pathname, prefix, (p) => byPath.has(p));
		return path === undefined ? undefined : byPath.get(path);
	};
	const origin = options.origin ?? 'http://localhost:4321';
	const quiet = options.quiet ?? true;
	/** default locals of server mode (browser mode keeps them in its state, as the worker) @type {Record<string, unknown>} */
	let locals = {};
	const log = createRequestLog('Node mode');
	const doc = options.document;
	/** installed endpoints, by file relative to src/pages: evaluated again in each fresh instance @type {Map<string, { file: string, code: string, source?: string }>} */
	const installs = new Map();
	/** @param {Entry} mod */
	const pageCookies = (mod) =>
		doc &&
		mod.overDocumentCookie(async (lines) => {
			for (const line of lines) doc.cookie = line;
			return doc.cookie;
		}, globalThis.location?.pathname ?? '/');

	/**
	 * The handler, controls and cookie jar over one evaluation of the bundle.
	 * @param {Entry} mod
	 * @returns {Instance}
	 */
	function start(mod) {
		const browser = options.browser ? mod.createClientState({ cookies: mod.createMemoryKv(), meta: mod.createMemoryKv() }) : undefined;
		/** The state controls: what a reset forgets, besides the controls' rules. @type {import('../controls/controls.ts').StateControls} */
		const stateControls = {
			async setLocals(value) {
				locals = structuredClone(value);
				await browser?.setLocals(value);
			},
			async reset() {
				locals = {};
				await Promise.all([handler.clearSessions(), browser?.reset(pageCookies(mod))]);
			},
			cookies: async () => (browser ? browser.pageCookies() : []),
		};
		// The same controls as the worker's, called directly: nothing to keep, one caller.
		const controls = mod.createControls({
			base: project.config.base,
			origin,
			state: () => stateControls,
			send: (request) => exchange(request, instance),
			cookieJar: browser !== undefined,
		});
		const handler = mod.create({ logger: options.logger, controls: controls.layer });
		/** @type {Instance} */
		const instance = { mod, handler, browser, own: controls.from(undefined) };
		return instance;
	}

	/** Whether the live instance may hold module state: a module was loaded, or an installed endpoint may have run. */
	const touched = () => live.mod.modulesLoaded() || installs.size > 0;

	// Prerendering loads the prerendered routes' modules: with fresh modules, requests start in an untouched instance.
	let live = start(freshModules && first.modulesLoaded() ? bundle.evaluate() : first);

	/** The next instance, with the installed endpoints evaluated again in it. */
	async function restart() {
		const next = start(bundle.evaluate());
		for (const { file, code, source } of installs.values()) await next.own.install(file, code, { source });
		live = next;
	}

	/** @param {Request} request @param {Response} response @param {number} time @param {number} start @param {Instance} instance */
	function record(request, response, time, start, instance) {
		const entry = instance.mod.requestRecord(request, response, instance.handler.describe(response), time, performance.now() - start);
		if (!quiet) console.log(instance.mod.formatRecord(entry));
		log.add(entry);
	}

	/**
	 * One request to the handler, as a page's fetch() (browser mode) or a client (server mode) sends it; not logged.
	 * @param {Request} request
	 * @param {Instance} instance
	 */
	async function exchange(request, { mod, handler, browser }) {
		const render = { clientAddress: options.clientAddress, locals: structuredClone(locals) };
		return browser
			? mod.browserExchange(handler, browser, request, {
					site: { sameSite: true, navigation: false, method: request.method },
					origin: mod.isSafeMethod(request.method) ? null : new URL(request.url).origin,
					page: pageCookies(mod),
					render,
				})
			: handler.handle(request, render);
	}

	/**
	 * One request to the static layer or the handler, logged.
	 * @param {Request} request
	 */
	async function answerOne(request) {
		// A reset while this request runs leaves it with the instance it started on.
		const instance = live;
		const staticFile = serveStatic(files, request, instance.mod.isReadMethod);
		if (staticFile) return staticFile;
		const time = Date.now();
		const start = performance.now();
		const response = await exchange(request, instance);
		record(request, response, time, start, instance);
		return response;
	}

	/**
	 * Browser mode: what the page's fetch() gets, redirects followed and network errors thrown.
	 * @param {Request} request
	 * @returns {Promise<Response>}
	 */
	async function answerAsBrowser(request) {
		let current = request;
		for (let hops = 0; ; hops++) {
			const response = await answerOne(current);
			if (response.type === 'error') throw new TypeError(`Failed to fetch: ${current.method} ${current.url} (a simulated network error: emulator.fail())`);
			const location = response.headers.get('location');
			if (!location || ![301, 302, 303, 307, 308].includes(response.status) || current.redirect !== 'follow') {
				return asFetched(response, current.url, hops > 0);
			}
			if (hops >= 20) throw new TypeError(`Failed to fetch: ${request.url} redirected more than 20 times`);
			const target = new URL(location, current.url);
			// fetch(): 303, and 301/302 after a POST, continue as GET without a body.
			const asGet = response.status === 303 || ((response.status === 301 || response.status === 302) && current.method === 'POST');
			const init = asGet ? { method: current.method === 'HEAD' ? 'HEAD' : 'GET', headers: withoutBodyHeaders(current.headers) } : current;
			const next = new Request(target, init);
			// A redirect off the site leaves the emulator: the real network answers it.
			if (target.origin !== new URL(origin).origin) return globalThis.fetch(next);
			current = next;
		}
	}

	/** @type {Emulator} */
	const emulator = {
		// The controls of the live instance: a fresh one replaces it on reset().
		use: (method, path, handler, useOptions) => live.own.use(method, path, handler, useOptions),
		delay: (path, ms, ruleOptions) => live.own.delay(path, ms, ruleOptions),
		fail: (path, ruleOptions) => live.own.fail(path, ruleOptions),
		seed: (data) => live.own.seed(data),
		setLocals: (value) => live.own.setLocals(value),
		cookies: () => live.own.cookies(),
		installed: () => live.own.installed(),
		async install(file, code, installOptions = {}) {
			const installed = await live.own.install(file, code, installOptions);
			installs.set(installed.file, { file, code, source: installOptions.source });
			return installed;
		},
		async uninstall(file) {
			await live.own.uninstall(file);
			const still = new Set((await live.own.installed()).map((e) => e.file));
			for (const key of installs.keys()) if (!still.has(key)) installs.delete(key);
		},
		async reset() {
			log.clear();
			// The live instance forgets first: its reset also deletes the page's cookies (document.cookie).
			await live.own.reset();
			if (freshModules && touched()) await restart();
		},
		origin,
		routes: project.routes,
		config: project.config,
		prerendered,
		async fetch(input, init) {
			const request = toRequest(input, init, origin);
			return abortable(request.signal, async () => {
				if (options.browser) return answerAsBrowser(request);
				const response = await answerOne(request);
				if (response.type === 'error') throw new TypeError(`Failed to fetch: ${request.method} ${request.url} (a simulated network error: emulator.fail())`);
				return response;
			});
		},
		answers(url) {
			return live.handler.answers(url) || serveStatic(files, new Request(url), live.mod.isReadMethod) !== undefined;
		},
		on: log.on,
		get requests() {
			return log.requests;
		},
		// Node keeps Set-Cookie in the headers, so any instance reads the lines of a response from an earlier one.
		setCookies: (response) => live.mod.getSetCookie(response),
		async close() {
			bundle.dispose();
		},
	};
	return emulator;
}

/** @param {Request | string | URL} input @param {RequestInit | undefined} init @param {string} origin */
function toRequest(input, init, origin) {
	if (input instanceof Request && !init) return input;
	const url = new URL(String(input instanceof Request ? input.url : input), origin);
	return new Request(url, init ?? (input instanceof Request ? input : undefined));
}

/** @param {Headers} headers */
function withoutBodyHeaders(headers) {
	const copy = new Headers(headers);
	for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) copy.delete(name);
	return copy;
}

/**
 * What fetch() gives a page: `url` is the final URL, `redirected` tells whether
 * redirects were followed, and no Set-Cookie (browsers never show it to pages;
 * the jar has it, and the request log's `setCookies`).
 * @param {Response} response @param {string} url @param {boolean} redirected
 */
function asFetched(response, url, redirected) {
	if (response.headers.has('set-cookie')) response.headers.delete('set-cookie');
	Object.defineProperty(response, 'url', { value: url, configurable: true });
	Object.defineProperty(response, 'redirected', { value: redirected, configurable: true });
	return response;
}

/**
 * The static layer in front of the handler, as on an Astro server: GET and HEAD
 * of a prerendered file's path (query ignored; a folder for its index.html), typed by its extension.
 * @param {(pathname: string) => { path: string, body: Uint8Array } | undefined} files the file a pathname (decoded) is answered with
 * @param {Request} request
 * @param {(method: string) => boolean} isReadMethod
 */
function serveStatic(files, request, isReadMethod) {
	if (!isReadMethod(request.method)) return undefined;
	let pathname;
	try {
		pathname = decodeURIComponent(new URL(request.url).pathname);
	} catch {
		return undefined;
	}
	const file = files(pathname);
	if (!file) return undefined;
	const headers = { 'content-type': contentTypeOf(file.path) };
	return new Response(request.method === 'HEAD' ? null : /** @type {Uint8Array<ArrayBuffer>} */ (file.body), { headers });
}

/**
 * Settles as fetch() does with a signal: rejects with the signal's reason (an
 * `AbortError`, or `TimeoutError` for `AbortSignal.timeout`) once it aborts, even
 * while the handler still runs; the handler sees the same signal as
 * `context.request.signal`.
 * @template T
 * @param {AbortSignal} signal
 * @param {() => Promise<T>} run
 * @returns {Promise<T>}
 */
function abortable(signal, run) {
	const reason = () => signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
	if (signal.aborted) return Promise.reject(reason());
	return new Promise((resolve, reject) => {
		const onAbort = () => reject(reason());
		signal.addEventListener('abort', onAbort, { once: true });
		run()
			.then(resolve, reject)
			.finally(() => signal.removeEventListener('abort', onAbort));
	});
}
