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
	type PageMessage,
	type RequestRecord,
	type WireRequest,
	type WireResponse,
	type WorkerMessage,
} from '../sw/protocol/messages.ts';
import {
	STATE_CONTROLS,
	type ControlCall,
	type ControlName,
	type ControlResult,
	type Controls,
	type InstalledEndpoint,
	type PageCookie,
	type SeedData,
	type WorkerHandler,
} from '../sw/protocol/controls.ts';
import { formatRecord } from '../sw/protocol/records.ts';

export type { Controls, InstalledEndpoint, PageCookie, RequestRecord, SeedData, WireRequest, WireResponse, WorkerHandler };

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

/** Events of the emulator: `update` (a new build is installed and waiting), `updated` (a new build took over), `request` (one handled request). */
export type EmulatorEvent = 'update' | 'updated';

/**
 * What `startEmulator` returns: the controls (`use` handlers run inside the worker;
 * setLocals, overrides, rules and installed endpoints survive worker restarts) and the worker's lifecycle.
 */
export interface Emulator extends Controls {
	registration: ServiceWorkerRegistration;
	/** number of routes in the running worker */
	routes: number;
	/** A raw round trip to the handler in the worker, bypassing the browser's cookie and Origin handling. */
	exchange(request: WireRequest | Request): Promise<WireResponse>;
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
	__swEndpointsPending?: () => Promise<ControlCall[]>;
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
		const what = message.type === 'control' ? message.op : message.type;
		if (reply.type === 'error') throw new EmulatorError('WorkerFailed', `${what}: ${reply.message.replace(/^\[sw-endpoints\] /, '')}`);
		return reply;
	};
	/** A control is one message: the worker's controls do the work. */
	const control = async <K extends ControlName>(op: K, ...args: Parameters<Controls<string>[K]>): Promise<ControlResult<K>> => {
		if (!hello.controls && !STATE_CONTROLS.includes(op)) {
			throw new EmulatorError('WorkerFailed', `${op}: this build has no run-time controls: build it with \`controls: true\`, or as a development build`);
		}
		const reply = await send({ type: 'control', op, args } as ClientMessage);
		return (reply as { value?: unknown }).value as ControlResult<K>;
	};
	const emulator: Emulator = {
		registration,
		routes: hello.routes,
		async exchange(request) {
			const wire = request instanceof Request ? await toWire(request) : request;
			const reply = await send({ type: 'exchange', request: wire }, wire.body ? [wire.body] : []);
			if (reply.type !== 'exchange') throw new EmulatorError('WorkerFailed', `unexpected reply ${reply.type}`);
			return reply.response;
		},
		setLocals: (locals) => control('setLocals', locals),
		reset: () => control('reset'),
		cookies: () => control('cookies'),
		seed: (data) => control('seed', data),
		// The handler runs in the worker: it travels as source text.
		use: (method, path, handler, useOptions) => control('use', method, path, typeof handler === 'function' ? handler.toString() : handler, useOptions),
		delay: (path, ms, ruleOptions) => control('delay', path, ms, ruleOptions),
		fail: (path, ruleOptions) => control('fail', path, ruleOptions),
		install: (file, code, installOptions) =>
			control('install', file, code, installOptions).catch((error: EmulatorError) => {
				throw new EmulatorError('InstallFailed', error.message.replace(/^\[sw-endpoints\] install: /, ''));
			}),
		uninstall: (file) => control('uninstall', file),
		installed: () => control('installed'),
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
		await (emulator[op] as (...a: unknown[]) => Promise<unknown>)(...args);
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
