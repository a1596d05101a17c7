/// <reference lib="webworker" />
// The service worker: a thin shell that wires events to the handler. It is the
// only runtime file that touches `self`. It keeps no state in memory that matters.
import {
	Session,
	config,
	createClientState,
	buildId,
	createControls,
	createErrorPages,
	createPageCookies,
	dev,
	middleware,
	precache as precacheManifest,
	requestRecord,
	routes,
} from 'sw-endpoints:manifest';
import { createHandler, type HandlerConfig, type ManifestRoute } from '../core/handler.ts';
import { requestSite } from '../browser/site.ts';
import { createIdbStores } from './idb-store.ts';
import { createPrecache, nextEvent, quietPeriod, type QuotaRefusal } from './precache.ts';
import { PROTOCOL_VERSION, type ClientMessage, type PageMessage, type WireRequest, type WireResponse, type WorkerMessage } from '../protocol/messages.ts';
import type { Controls, StateControlName } from '../protocol/controls.ts';
import { browserExchange } from '../browser/exchange.ts';
import { serverRequest } from '../core/request.ts';
import { getSetCookie } from '../core/response.ts';

declare const self: ServiceWorkerGlobalScope;

const table = routes as ManifestRoute[];
const handlerConfig = config as HandlerConfig;
const stores = createIdbStores();
// The controls (use, delay, fail, seed, install) only in builds made with them; every
// build has the state ones (setLocals, reset, cookies). `clientId`: the page that asks.
const controls = createControls?.<string>({
	store: stores.runtime,
	version: buildId,
	base: handlerConfig.base,
	origin: self.location.origin,
	state: stateControls,
	// seed()'s request, as the page's own same-origin fetch() would reach the handler
	send: async (request, clientId) =>
		browserExchange(handler, state, request, {
			site: { sameSite: true, navigation: false, method: request.method },
			origin: self.location.origin,
			page: await pageCookies?.(clientId),
		}),
});
const handler = createHandler({
	routes: table,
	config: handlerConfig,
	middleware,
	sessions: Session && { Session, store: stores.sessions },
	controls: controls?.layer,
	// The site's prerendered error pages (the Astro adapter names them), from the static layer.
	errorPages: createErrorPages?.(handlerConfig.errorPages!, (request) => precache.serve(request), self.location.origin),
});
const state = createClientState({ cookies: stores.cookies, meta: stores.meta });
// Storage cleared under the running worker: cleared cookies and sessions must not come back from memory.
stores.onCleared(() => state.forget());
// The browser starts a stopped worker for an event, most often a request: opening IndexedDB and
// reading the state begins now, while the event is on its way, instead of once it arrived.
state.preload();
const pageCookies = createPageCookies?.({
	cookieStore: (self as unknown as { cookieStore?: Parameters<typeof createPageCookies & {}>[0]['cookieStore'] }).cookieStore,
	clients: self.clients,
	scriptPath: self.location.pathname,
});

/** Requests the handler is answering now, and the moment there are none, which the background fill waits on meanwhile. */
let answering = 0;
const idle = nextEvent();

const precache = createPrecache({
	manifest: precacheManifest,
	scope: self.registration.scope,
	caches,
	fetch: (r) => fetch(r),
	busy: () => (answering ? idle.next() : undefined),
	quota: async () => (await self.navigator.storage?.estimate())?.quota,
	memo: {
		get: () => stores.meta.get('precache-refused') as Promise<QuotaRefusal | undefined>,
		set: (refusal) => stores.meta.set('precache-refused', refusal),
	},
});

self.addEventListener('install', (event) => {
	// The first worker takes over at once. A new build waits beside the running one
	// until the page calls `emulator.update()` (the client announces it), except in
	// development, where it takes over by itself. State in IndexedDB is shared.
	// A new build caches the page's own files first, so the page it takes over gets
	// them from its cache; the first worker has nothing to replace and takes over at
	// once, its background fill caching them with the prerendered outputs.
	const first = !self.registration.active;
	event.waitUntil((first ? Promise.resolve() : precache.install()).then(() => (dev || first ? self.skipWaiting() : undefined)));
});

self.addEventListener('activate', (event) => {
	event.waitUntil(Promise.all([precache.cleanup(), self.clients.claim()]));
});

/**
 * The background fill, and a restarted worker's look for its mark, begin once the
 * worker has had no event for 50 ms and answers nothing (2 s at most): a page's
 * first requests come a few ms after its start-up messages, and the first answer
 * of a 1000-endpoint site, whose code that request reads from the network, came
 * about 10 ms later beside the fill's first fetches (Chromium 156, first visits).
 * A page that asks for offlineReady() starts the fill at once.
 */
const settled = quietPeriod(50, 2000, () => answering > 0);

/** Keeps the worker alive while the prerendered outputs are cached (resumed after a restart). */
function keepFilling(event: ExtendableEvent) {
	if (precache.complete) return;
	event.waitUntil(
		settled()
			.then(() => precache.fill())
			.catch((error: unknown) =>
				(error as Error)?.name === 'QuotaExceededError'
					? console.warn(`[sw-endpoints] ${(error as Error).message}`)
					: console.warn('[sw-endpoints] caching the prerendered files failed; will retry:', error),
			),
	);
}

const scope = self.registration.scope;

/**
 * Who answers `request`, decided once per request (its URL parsed once): the
 * static layer, the handler, the handler once the stored controls loaded, or
 * nobody (the network, untouched).
 */
function route(request: Request): 'static' | 'handler' | 'controls' | undefined {
	// The scope is an absolute URL ending in `/`: a URL under it is of this origin.
	if (!request.url.startsWith(scope)) return undefined;
	const url = new URL(request.url);
	if (precache.has(request, url)) return 'static';
	if (handler.answers(url)) return 'handler';
	// A restarted worker knows its stored overrides and installed endpoints only once
	// IndexedDB answered, but must decide now: hold the request until then.
	return controls !== undefined && !controls.loaded ? 'controls' : undefined;
}

/** Whether this worker answers `request` (calls respondWith for it). */
const takes = (request: Request): boolean => route(request) !== undefined;

self.addEventListener('fetch', (event) => {
	const taken = route(event.request);
	if (!taken) return;
	keepFilling(event);
	if (taken === 'static') event.respondWith(precache.serve(event.request).then((r) => r ?? fetch(event.request)));
	// Only requests that reach a route go to the handler; everything else to the network untouched.
	else if (taken === 'handler') event.respondWith(answer(event));
	else event.respondWith(controls!.ready.then(() => (handler.answers(new URL(event.request.url)) ? answer(event) : fetch(event.request))));
});

/**
 * For an application that has its own service worker and pulls this one in with
 * `importScripts('/sw.js')` before its own listeners: this worker's fetch listener
 * runs first, and theirs must leave alone what it took
 * (`if (self.swEndpoints.answers(event.request)) return;`).
 */
(self as unknown as { swEndpoints: object }).swEndpoints = { answers: takes, version: precacheManifest.version };

/**
 * Answers a page's request as a server behind the browser's network layer would
 * see it: with the Cookie header from the jar, and `Origin`, which the browser adds
 * after the worker, so the worker vouches for them (sw/browser/site.ts). A
 * cross-site form post therefore reaches Astro's origin check without an Origin.
 */
async function answer(event: FetchEvent): Promise<Response> {
	const request = event.request;
	const time = Date.now();
	const start = performance.now();
	const { site, origin } = requestSite(request, self.location.origin);
	answering++;
	try {
		const response = await browserExchange(handler, state, request, { site, origin, page: await pageCookies?.(event.clientId, request.url) });
		// The page's request log, in builds made for development and testing only (the
		// manifest leaves requestRecord out of others): a message per request costs a
		// plain production build about a tenth of its throughput.
		if (requestRecord && event.clientId) {
			const record = requestRecord(request, response, handler.describe(response), time, performance.now() - start);
			void self.clients.get(event.clientId).then((client) => client?.postMessage({ type: 'request', record } satisfies PageMessage));
		}
		return response;
	} catch (error) {
		const text = `[sw-endpoints] ${request.method} ${request.url}: the worker's storage (IndexedDB or cookieStore) failed, so this request gets a 500: ${(error as Error)?.message ?? error}`;
		console.error(text, error);
		// The reason in the body too: the page's developer sees it in the network panel, not only in the worker's console.
		return new Response(text, { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	} finally {
		if (--answering === 0) idle.fire();
	}
}

async function exchange(wire: WireRequest): Promise<WireResponse> {
	const request = serverRequest(wire.url, { method: wire.method, headers: wire.headers, body: wire.body });
	// The static layer first, as on a server: prerendered files, then the handler.
	const response = (precache.has(request) && (await precache.serve(request))) || (await handler.handle(request));
	const headers: Array<[string, string]> = [];
	for (const [k, v] of response.headers) if (k !== 'set-cookie') headers.push([k, v]);
	for (const line of getSetCookie(response)) headers.push(['set-cookie', line]);
	const body = request.method === 'HEAD' ? new ArrayBuffer(0) : await response.arrayBuffer();
	return { status: response.status, statusText: response.statusText, headers, body };
}

/** The state controls every build answers, for the page `clientId`: default locals, a clean state, the page-visible cookies. */
function stateControls(clientId: string): Pick<Controls, StateControlName> {
	return {
		setLocals: state.setLocals,
		reset: async () => void (await Promise.all([state.reset(await pageCookies?.(clientId)), stores.sessions.clear()])),
		cookies: async () => ('pageCookies' in state ? state.pageCookies() : []),
	};
}

self.addEventListener('message', (event) => {
	const message = event.data as ClientMessage;
	const port = event.ports[0];
	if (!port || !message || typeof message !== 'object') return;
	const reply = (m: WorkerMessage, transfer: Transferable[] = []) => port.postMessage(m, transfer);
	keepFilling(event);
	if (message.type === 'offline-ready') {
		event.waitUntil(
			precache.fill().then(
				() => reply({ type: 'done' }),
				(error: unknown) => reply({ type: 'error', message: String((error as Error)?.message ?? error) }),
			),
		);
	} else if (message.type === 'hello')
		reply({ type: 'hello', protocol: PROTOCOL_VERSION, routes: table.length, version: precacheManifest.version, dev, controls: !!controls });
	else if (message.type === 'answers') reply({ type: 'answers', urls: message.urls.filter((url) => handler.answers(new URL(url))) });
	else if (message.type === 'skip-waiting') event.waitUntil(self.skipWaiting().then(() => reply({ type: 'done' })));
	else if (message.type === 'claim') event.waitUntil(self.clients.claim().then(() => reply({ type: 'claimed' })));
	else if (message.type === 'control') {
		// Transport only: the message names a control and its arguments; the controls do the work.
		// Without them only the state controls are here (the client asks for no others: hello says so).
		const target = (controls?.from ?? stateControls)((event.source as Client | null)?.id ?? '') as Partial<Controls<string>>;
		const done = Promise.resolve().then(() => (target[message.op] as (...args: unknown[]) => Promise<unknown>)(...message.args));
		event.waitUntil(
			done.then(
				(value) => reply({ type: 'control', value }),
				(error: unknown) => reply({ type: 'error', message: String((error as Error)?.message ?? error) }),
			),
		);
	} else if (message.type === 'exchange') {
		event.waitUntil(
			exchange(message.request).then(
				(response) => reply({ type: 'exchange', response }, [response.body]),
				(error: unknown) => reply({ type: 'error', message: String((error as Error)?.stack ?? error) }),
			),
		);
	}
});
