// The page side: registers the sw-endpoints worker and resolves once it controls
// the page, so no request slips past to the network.
//
//   import { startEmulator } from 'sw-endpoints/client';
//   const emulator = await startEmulator({ url: '/sw.js', scope: '/' });
//   await fetch('/api/posts/1'); // answered by the worker
import { Workbox } from 'workbox-window';
import {
	PROTOCOL_VERSION,
	type ClientMessage,
	type InstalledEndpoint,
	type NetworkRule,
	type PageCookie,
	type PageMessage,
	type RequestRecord,
	type WireRequest,
	type WireResponse,
	type WorkerMessage,
} from '../sw/protocol/messages.ts';
import { SEED_HANDLER, SEED_PATH, formatRecord } from '../sw/protocol/records.ts';

export type { InstalledEndpoint, PageCookie, RequestRecord, WireRequest, WireResponse };

/** Options of `startEmulator`. */
export interface StartOptions {
	/** URL of the built worker script (default `/sw.js`) */
	url?: string;
	/** registration scope (default `/`; under a sub-path use that path, e.g. `/docs/`) */
	scope?: string;
	/** give up waiting for control after this many ms (default 30000) */
	timeout?: number;
	/**
	 * For a development build (watch mode): reload the page when a rebuilt worker
	 * takes over, so changed pages and scripts show too (default true).
	 */
	reloadOnUpdate?: boolean;
	/** Development builds print one console line per handled request; `quiet: true` turns that off. */
	quiet?: boolean;
}

/** A handler override that runs inside the worker: a function (sent as source text, so it cannot use variables from around it) or its source. */
export type WorkerHandler = string | ((context: any) => Response | Promise<Response>);

/** What `seed()` writes, as if an endpoint had set it: cookies (in the jar), session values, default locals. */
export interface SeedData {
	cookies?: Record<string, string>;
	session?: Record<string, unknown>;
	locals?: Record<string, unknown>;
}

/** Events of the emulator: `update` (a new build is installed and waiting), `updated` (a new build took over), `request` (one handled request). */
export type EmulatorEvent = 'update' | 'updated';

/** What `startEmulator` returns. */
export interface Emulator {
	registration: ServiceWorkerRegistration;
	/** number of routes in the running worker */
	routes: number;
	/** A raw round trip to the handler in the worker, bypassing the browser's cookie and Origin handling. */
	exchange(request: WireRequest | Request): Promise<WireResponse>;
	/** Sets the `context.locals` every request starts with (e.g. a signed-in user); survives worker restarts. */
	setLocals(locals: Record<string, unknown>): Promise<void>;
	/** Forgets cookies (the browser's too), sessions, locals, overrides and network rules: a clean state, e.g. between tests. */
	reset(): Promise<void>;
	/**
	 * The cookies endpoints set that a page script may see (not HttpOnly), as the worker holds and sends them.
	 * `document.cookie` shows the same ones where the browser lets the worker copy them there
	 * (`inDocument`); this list is complete in every browser.
	 */
	cookies(): Promise<PageCookie[]>;
	/** Writes cookies and session values as an endpoint would, and default locals. */
	seed(data: SeedData): Promise<void>;
	/**
	 * A handler that answers `method` (or `'*'`) requests to `path` (Astro syntax: `/api/posts/[id]`, `*` for anything,
	 * as the page requests it, base included) instead of the file routes, until reset(). It runs inside the worker.
	 */
	use(method: string, path: string, handler: WorkerHandler, options?: { once?: boolean }): Promise<void>;
	/** Waits `ms` before answering matching requests, until reset(). */
	delay(path: string, ms: number, options?: { method?: string }): Promise<void>;
	/** Makes matching requests fail like a broken connection (fetch rejects), `times` times or until reset(). */
	fail(path: string, options?: { method?: string; times?: number }): Promise<void>;
	/** Installs an endpoint module compiled to CommonJS at `file`'s route (e.g. `api/hello.ts`); it outlasts the worker. */
	install(file: string, code: string, options?: { source?: string }): Promise<InstalledEndpoint>;
	uninstall(file: string): Promise<void>;
	installed(): Promise<InstalledEndpoint[]>;
	/** The running build's version (a hash of its precached files). */
	version: string;
	/** Resolves once every file of the build (prerendered outputs too) is cached: from then on it all works offline. */
	offlineReady(): Promise<void>;
	/** Activates a waiting new build (after an `update` event); resolves when it controls the page. False if none waits. */
	update(): Promise<boolean>;
	/** Listens for `update` / `updated`, or `request` (the request log). Returns a function that stops listening. */
	on(event: EmulatorEvent, listener: () => void): () => void;
	on(event: 'request', listener: (record: RequestRecord) => void): () => void;
}

/** Where a test runner (the Playwright fixture) finds the page's emulator, and passes controls and takes records. */
const GLOBAL = Symbol.for('sw-endpoints.emulator');
interface TestHooks {
	/** controls queued before the page loaded, applied before startEmulator resolves */
	__swEndpointsPending?: () => Promise<Array<{ op: string; args: unknown[] }>>;
	__swEndpointsRecord?: (record: RequestRecord) => void;
}

/** An error from the client, with a stable code. */
export class EmulatorError extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(`[sw-endpoints] ${message}`);
		this.name = code;
	}
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new EmulatorError('Timeout', `${what} did not happen within ${ms} ms`)), ms);
		promise.then(
			(v) => (clearTimeout(timer), resolve(v)),
			(e) => (clearTimeout(timer), reject(e)),
		);
	});
}

/** Sends one message to a worker and waits for its reply on a fresh channel. */
function ask(worker: ServiceWorker, message: ClientMessage, transfer: Transferable[] = []): Promise<WorkerMessage> {
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = (event) => resolve(event.data as WorkerMessage);
		worker.postMessage(message, [channel.port2, ...transfer]);
	});
}

/** Waits until `navigator.serviceWorker.controller` is set. */
function controlled(): Promise<ServiceWorker> {
	const sw = navigator.serviceWorker;
	if (sw.controller) return Promise.resolve(sw.controller);
	return new Promise((resolve) => {
		sw.addEventListener('controllerchange', function on() {
			if (!sw.controller) return;
			sw.removeEventListener('controllerchange', on);
			resolve(sw.controller);
		});
	});
}

/**
 * Registers the worker and resolves when it controls this page: on the first
 * load (the worker claims the page on activation) and after a shift-reload (a
 * page loaded without a controller is claimed by the active worker on request).
 */
export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
	const { url = '/sw.js', scope = '/', timeout = 30_000 } = options;
	if (!('serviceWorker' in navigator)) {
		throw new EmulatorError('Unsupported', 'service workers are not available here: serve the page from http://localhost or https');
	}
	listenToWorker();
	const ready = controlled();
	const wb = new Workbox(url, { scope, type: 'classic' });
	const registration = await wb.register({ immediate: true });
	if (!registration) throw new EmulatorError('RegisterFailed', `could not register ${url} with scope ${scope}`);
	if (!navigator.serviceWorker.controller) {
		// First load: activation claims us. Shift-reload: the active worker must be asked.
		const active = registration.active ?? (await withTimeout(wb.active, timeout, 'worker activation'));
		void ask(active, { type: 'claim' });
	}
	const worker = await withTimeout(ready, timeout, 'taking control of the page');
	const hello = await withTimeout(ask(worker, { type: 'hello' }), timeout, 'the worker answering');
	if (hello.type !== 'hello' || hello.protocol !== PROTOCOL_VERSION) {
		throw new EmulatorError(
			'ProtocolMismatch',
			`the page's client speaks protocol ${PROTOCOL_VERSION} but the worker at ${url} does not; rebuild so both come from the same version`,
		);
	}
	const listeners: Record<EmulatorEvent, Set<() => void>> = { update: new Set(), updated: new Set() };
	const emit = (event: EmulatorEvent) => listeners[event].forEach((fn) => fn());
	const hooks = globalThis as TestHooks;
	recordListeners.add((record) => {
		if (hello.dev && !options.quiet) console.log(formatRecord(record));
		hooks.__swEndpointsRecord?.(record);
	});
	let waiting = false;
	wb.addEventListener('waiting', () => {
		waiting = true;
		emit('update');
	});
	navigator.serviceWorker.addEventListener('controllerchange', () => {
		waiting = false;
		emit('updated');
		if (hello.dev && (options.reloadOnUpdate ?? true)) location.reload();
	});
	// Development builds: look for a rebuilt worker every second (browsers look only on navigation).
	if (hello.dev) setInterval(() => void registration.update().catch(() => undefined), 1000);
	const send = async (message: ClientMessage, transfer: Transferable[] = []) => {
		const reply = await ask(navigator.serviceWorker.controller ?? worker, message, transfer);
		if (reply.type === 'error') throw new EmulatorError('WorkerFailed', `${message.type}: ${reply.message}`);
		return reply;
	};
	const seedUrl = new URL(SEED_PATH.slice(1), registration.scope);
	const emulator: Emulator = {
		registration,
		routes: hello.routes,
		async exchange(request) {
			const wire = request instanceof Request ? await toWire(request) : request;
			const reply = await send({ type: 'exchange', request: wire }, wire.body ? [wire.body] : []);
			if (reply.type !== 'exchange') throw new EmulatorError('WorkerFailed', `unexpected reply ${reply.type}`);
			return reply.response;
		},
		async setLocals(locals) {
			await send({ type: 'set-locals', locals });
		},
		async reset() {
			await send({ type: 'reset' });
		},
		async cookies() {
			const reply = await send({ type: 'cookies' });
			return reply.type === 'cookies' ? reply.list : [];
		},
		async seed(data) {
			if (data.locals) await send({ type: 'set-locals', locals: data.locals });
			if (!data.cookies && !data.session) return;
			await send({ type: 'use', override: { method: 'POST', path: seedUrl.pathname, source: SEED_HANDLER, once: true } });
			const response = await fetch(seedUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
			if (!response.ok) throw new EmulatorError('SeedFailed', await response.text());
		},
		async use(method, path, handler, useOptions = {}) {
			const source = typeof handler === 'function' ? handler.toString() : handler;
			await send({ type: 'use', override: { method, path, source, once: useOptions.once } });
		},
		async delay(path, ms, ruleOptions = {}) {
			await send({ type: 'network', rule: { path, delay: ms, method: ruleOptions.method } satisfies NetworkRule });
		},
		async fail(path, ruleOptions = {}) {
			await send({ type: 'network', rule: { path, fail: true, method: ruleOptions.method, times: ruleOptions.times } });
		},
		async install(file, code, installOptions = {}) {
			const reply = await send({ type: 'install', file, code, source: installOptions.source }).catch((error: EmulatorError) => {
				throw new EmulatorError('InstallFailed', error.message.replace(/^\[sw-endpoints\] install: /, ''));
			});
			if (reply.type !== 'installed') throw new EmulatorError('WorkerFailed', `unexpected reply ${reply.type}`);
			return reply.endpoint;
		},
		async uninstall(file) {
			await send({ type: 'uninstall', file });
		},
		async installed() {
			const reply = await send({ type: 'installed' });
			return reply.type === 'endpoints' ? reply.list : [];
		},
		version: hello.version,
		async offlineReady() {
			await send({ type: 'offline-ready' });
		},
		async update() {
			const next = registration.waiting;
			if (!next) return false;
			const taken = new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
			await ask(next, { type: 'skip-waiting' });
			await withTimeout(taken, timeout, 'the new worker taking over');
			return true;
		},
		on(event: EmulatorEvent | 'request', listener: (record: RequestRecord) => void) {
			if (event === 'request') {
				recordListeners.add(listener);
				return () => recordListeners.delete(listener);
			}
			const plain = listener as () => void;
			listeners[event].add(plain);
			// A build that was already waiting when the page started is announced to the first listener.
			if (event === 'update' && (waiting || registration.waiting)) queueMicrotask(plain);
			return () => listeners[event].delete(plain);
		},
	} as Emulator;
	// Controls a test runner queued before the page loaded apply before the app's first request.
	for (const { op, args } of (await hooks.__swEndpointsPending?.()) ?? []) {
		await (emulator as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[op](...args);
	}
	(globalThis as Record<symbol, unknown>)[GLOBAL] = emulator;
	return emulator;
}

let listening = false;
const recordListeners = new Set<(record: RequestRecord) => void>();

/**
 * Takes the worker's request records (the request log), and lets it read and
 * write this page's `document.cookie` where it cannot use cookieStore (other
 * browsers, or a Chromium worker instance whose cookieStore fails): handlers'
 * non-HttpOnly cookies then still show here.
 */
function listenToWorker() {
	if (listening) return;
	listening = true;
	navigator.serviceWorker.addEventListener('message', (event) => {
		const message = event.data as PageMessage;
		if (message?.type === 'request') {
			for (const listener of recordListeners) listener(message.record);
			return;
		}
		if (message?.type !== 'page-cookies' || !event.ports[0]) return;
		for (const line of message.write) document.cookie = line;
		event.ports[0].postMessage(document.cookie);
	});
	navigator.serviceWorker.startMessages();
}

async function toWire(request: Request): Promise<WireRequest> {
	const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
	return { method: request.method, url: request.url, headers: [...request.headers], body };
}
