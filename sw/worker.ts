/// <reference lib="webworker" />
// The service worker: a thin shell that wires events to the handler. It is the
// only runtime file that touches `self`. It keeps no state in memory that matters.
import { Session, config, middleware, routes } from 'sw-endpoints:manifest';
import { createHandler, type HandlerConfig, type ManifestRoute } from './handler.ts';
import { createIdbSessionStore } from './idb-store.ts';
import { PROTOCOL_VERSION, type ClientMessage, type WireRequest, type WireResponse, type WorkerMessage } from './protocol.ts';
import { serverRequest, withHeaders } from './request.ts';
import { getSetCookie } from './response.ts';

declare const self: ServiceWorkerGlobalScope;

const table = routes as ManifestRoute[];
const handlerConfig = config as HandlerConfig;
const handler = createHandler({
	routes: table,
	config: handlerConfig,
	middleware,
	sessions: Session && { Session, store: createIdbSessionStore() },
});
const UNSAFE = /^(?!GET$|HEAD$|OPTIONS$)/;

self.addEventListener('install', () => {
	// Take over at once: no waiting for old tabs (Astro endpoints have no old version to finish).
	void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
	event.waitUntil(self.clients.claim());
});

/** Whether the handler answers this URL; everything else goes to the network untouched. */
function handles(url: URL): boolean {
	return url.origin === self.location.origin && url.href.startsWith(self.registration.scope) && handler.answers(url);
}

self.addEventListener('fetch', (event) => {
	if (!handles(new URL(event.request.url))) return;
	event.respondWith(answer(event));
});

/**
 * Answers a page's request. The browser adds `Origin` after the worker, so the
 * worker vouches for it: every non-navigation fetch event comes from a client
 * this worker controls, which is same-origin; a navigation is same-origin when
 * its referrer is (a cross-site form post keeps no same-origin referrer, and
 * Astro's origin check then refuses it as on a server).
 */
async function answer(event: FetchEvent): Promise<Response> {
	const request = event.request;
	const headers = new Headers(request.headers);
	if (UNSAFE.test(request.method) && !headers.has('origin')) {
		const own = request.mode !== 'navigate' || sameOrigin(request.referrer);
		if (own) headers.set('origin', self.location.origin);
	}
	return handler.handle(withHeaders(request, headers));
}

function sameOrigin(referrer: string): boolean {
	try {
		return new URL(referrer).origin === self.location.origin;
	} catch {
		return false;
	}
}

async function exchange(wire: WireRequest): Promise<WireResponse> {
	const request = serverRequest(wire.url, { method: wire.method, headers: wire.headers, body: wire.body });
	const response = await handler.handle(request);
	const headers: Array<[string, string]> = [];
	for (const [k, v] of response.headers) if (k !== 'set-cookie') headers.push([k, v]);
	for (const line of getSetCookie(response)) headers.push(['set-cookie', line]);
	const body = request.method === 'HEAD' ? new ArrayBuffer(0) : await response.arrayBuffer();
	return { status: response.status, statusText: response.statusText, headers, body };
}

self.addEventListener('message', (event) => {
	const message = event.data as ClientMessage;
	const port = event.ports[0];
	if (!port || !message || typeof message !== 'object') return;
	const reply = (m: WorkerMessage, transfer: Transferable[] = []) => port.postMessage(m, transfer);
	if (message.type === 'hello') reply({ type: 'hello', protocol: PROTOCOL_VERSION, routes: table.length });
	else if (message.type === 'claim') event.waitUntil(self.clients.claim().then(() => reply({ type: 'claimed' })));
	else if (message.type === 'exchange') {
		event.waitUntil(
			exchange(message.request).then(
				(response) => reply({ type: 'exchange', response }, [response.body]),
				(error: unknown) => reply({ type: 'error', message: String((error as Error)?.stack ?? error) }),
			),
		);
	}
});
