// The page side: registers the sw-endpoints worker and resolves once it controls
// the page, so no request slips past to the network.
//
//   import { startEmulator } from 'sw-endpoints/client';
//   const emulator = await startEmulator({ url: '/sw.js', scope: '/' });
//   await fetch('/api/posts/1'); // answered by the worker
import { Workbox } from 'workbox-window';
import { PROTOCOL_VERSION, type ClientMessage, type PageMessage, type WireRequest, type WireResponse, type WorkerMessage } from '../sw/protocol.ts';

export type { WireRequest, WireResponse };

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
}

/** Events of the emulator: `update` (a new build is installed and waiting), `updated` (a new build took over). */
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
	/** Forgets cookies (the browser's too), sessions and locals: a clean state, e.g. between tests. */
	reset(): Promise<void>;
	/** The running build's version (a hash of its precached files). */
	version: string;
	/** Resolves once every file of the build (prerendered outputs too) is cached: from then on it all works offline. */
	offlineReady(): Promise<void>;
	/** Activates a waiting new build (after an `update` event); resolves when it controls the page. False if none waits. */
	update(): Promise<boolean>;
	/** Listens for `update` / `updated`. Returns a function that stops listening. */
	on(event: EmulatorEvent, listener: () => void): () => void;
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
	listenForCookies();
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
	return {
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
		on(event, listener) {
			listeners[event].add(listener);
			// A build that was already waiting when the page started is announced to the first listener.
			if (event === 'update' && (waiting || registration.waiting)) queueMicrotask(listener);
			return () => listeners[event].delete(listener);
		},
	};
}

let listening = false;

/**
 * Lets the worker read and write this page's `document.cookie` where it cannot
 * use cookieStore (other browsers, or a Chromium worker instance whose
 * cookieStore fails): handlers' non-HttpOnly cookies then still show here.
 */
function listenForCookies() {
	if (listening) return;
	listening = true;
	navigator.serviceWorker.addEventListener('message', (event) => {
		const message = event.data as PageMessage;
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
