// `setupEmulator()`: one call in a Vitest setup file makes the tests' own fetch()
// (and asynchronous XMLHttpRequest under happy-dom) reach the project's endpoints
// in-process, with a browser's cookie jar, as the service worker answers them in a page.
//
//   // vitest.setup.ts
//   import { setupEmulator } from 'sw-endpoints/node';
//   export const emulator = await setupEmulator({ root: '.', onUnhandledRequest: 'error' });
//
// Each test file gets its own emulator (Vitest runs setup files per file), and
// after every test it is reset: cookies, sessions, locals, overrides, network rules,
// the request log and (`freshModules`, the default) endpoint and middleware module state.
import { createEmulator } from '../sw/node/emulator.mjs';

const UNHANDLED = ['bypass', 'warn', 'error'];

/**
 * @typedef {'bypass' | 'warn' | 'error' | ((request: Request, print: { warning(): void, error(): void }) => void)} UnhandledRequestStrategy
 */

/**
 * happy-dom's window API, as far as used here. Not happy-dom's own types: its
 * IFetchInterceptor speaks of happy-dom's Request and Response classes, while the
 * hooks below hand them to the emulator as the global ones and return the
 * emulator's global Response, which happy-dom accepts.
 * @typedef {{ settings: { fetch: { interceptor: FetchInterceptor | null } } }} HappyDomApi
 * @typedef {{ beforeAsyncRequest?(context: { request: Request }): Promise<Response | void>, beforeSyncRequest?(context: { request: Request }): unknown }} FetchInterceptor
 */

/**
 * Node mode's emulator (createEmulator, in browser mode) answering the test's own fetch().
 * `resetAfterEach` (default true) calls `emulator.reset()` after every test: see its
 * documentation for what that forgets; with `freshModules` (default true) that includes
 * module-level state of endpoint and middleware modules, so each test starts from modules
 * as freshly loaded, as each Playwright test does in its own worker.
 * @param {Partial<import('../sw/node/emulator.mjs').EmulatorOptions> & {
 *   onUnhandledRequest?: UnhandledRequestStrategy,
 *   resetAfterEach?: boolean,
 * }} [options]
 */
export async function setupEmulator(options = {}) {
	const { onUnhandledRequest = 'warn', resetAfterEach = true } = options;
	if (typeof onUnhandledRequest !== 'function' && !UNHANDLED.includes(onUnhandledRequest)) {
		throw new TypeError(`[sw-endpoints] onUnhandledRequest must be 'bypass', 'warn', 'error' or a function, got ${JSON.stringify(onUnhandledRequest)}`);
	}
	const page = /** @type {{ happyDOM?: HappyDomApi, window?: { happyDOM?: HappyDomApi } }} */ (globalThis);
	const happyDom = page.happyDOM ?? page.window?.happyDOM;
	const pageOrigin = globalThis.location?.origin;
	const origin = options.origin ?? (pageOrigin && pageOrigin !== 'null' ? pageOrigin : 'http://localhost:3000');
	const doc = globalThis.document;
	const emulator = await createEmulator({
		...options,
		root: options.root ?? process.cwd(),
		origin,
		browser: true,
		// Under happy-dom the jar's page-visible cookies show in document.cookie, as in a page.
		document: doc,
	});
	const siteOrigin = new URL(origin).origin;
	/** @type {string[]} */
	const unhandledErrors = [];
	/** cross-origin URLs just reported, whose preflight happy-dom may send next */
	const preflights = new Set();

	/** @param {Request} request whether the emulator takes it; otherwise applies onUnhandledRequest (throws for 'error') */
	function takes(request) {
		const url = new URL(request.url);
		if (url.origin === siteOrigin && emulator.answers(url)) return true;
		// happy-dom sends its own CORS preflight for a cross-origin request just reported: not the app's.
		if (request.method === 'OPTIONS' && preflights.delete(request.url)) return false;
		if (url.origin !== siteOrigin && request.method !== 'GET' && request.method !== 'HEAD') preflights.add(request.url);
		const where = `${request.method} ${request.url}`;
		const why = url.origin === siteOrigin ? 'no route under src/pages answers it' : 'it is not for this site';
		const message = `[sw-endpoints] unhandled request: ${where} (${why}).`;
		const print = {
			warning: () =>
				console.warn(
					`${message} It went to the network. To allow it quietly: setupEmulator({ onUnhandledRequest: 'bypass' }); to mock it: emulator.use('${request.method}', '${url.pathname}', handler).`,
				),
			error: () => {
				const text = `${message} onUnhandledRequest is 'error': add an endpoint under src/pages, mock it with emulator.use('${request.method}', '${url.pathname}', handler), or allow it with onUnhandledRequest: 'warn' | 'bypass'.`;
				console.error(text);
				unhandledErrors.push(text);
				throw new TypeError(text);
			},
		};
		if (typeof onUnhandledRequest === 'function') onUnhandledRequest(request, print);
		else if (onUnhandledRequest === 'warn') print.warning();
		else if (onUnhandledRequest === 'error') print.error();
		return false;
	}

	let restore;
	if (happyDom) {
		// happy-dom sends fetch() and XMLHttpRequest through its Fetch class, which asks this hook first.
		const settings = happyDom.settings.fetch;
		const previous = settings.interceptor;
		settings.interceptor = {
			...previous,
			/** @param {{ request: Request }} context */
			async beforeAsyncRequest(context) {
				if (takes(context.request)) return emulator.fetch(context.request);
				return previous?.beforeAsyncRequest?.(context);
			},
			/** @param {{ request: Request }} context */
			beforeSyncRequest(context) {
				const url = new URL(context.request.url);
				if (url.origin === siteOrigin && emulator.answers(url)) {
					// Endpoints are async; a synchronous XMLHttpRequest cannot wait for one.
					throw new Error(
						`[sw-endpoints] ${context.request.method} ${context.request.url}: a synchronous XMLHttpRequest (open(method, url, false)) cannot be answered by the emulator; make it asynchronous`,
					);
				}
				return previous?.beforeSyncRequest?.(context);
			},
		};
		restore = () => {
			settings.interceptor = previous;
		};
	} else {
		const original = globalThis.fetch;
		globalThis.fetch = async (input, init) => {
			const request = new Request(
				new URL(String(input instanceof Request ? input.url : input), origin),
				init ?? (input instanceof Request ? input : undefined),
			);
			return takes(request) ? emulator.fetch(request) : original(request);
		};
		restore = () => {
			globalThis.fetch = original;
		};
	}

	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		restore();
		await emulator.close();
	};

	// Inside Vitest: a clean state for every test, and unhandled requests fail the
	// test that made them even when the app swallowed the rejected fetch.
	const vitest = process.env.VITEST ? await import('vitest') : undefined;
	if (vitest) {
		vitest.afterEach(async () => {
			if (resetAfterEach) await emulator.reset();
			const errors = unhandledErrors.splice(0);
			if (errors.length) throw new Error(errors.join('\n'));
		});
		vitest.afterAll(close);
	}

	return Object.assign(emulator, { close });
}
