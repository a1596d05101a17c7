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
	/** what became of each queued control: null, or the message it was refused with (the runner rejects the test with it) */
	__swEndpointsApplied?: (outcomes: Array<string | null>) => Promise<void>;
	__swEndpointsRecord?: (record: RequestRecord) => void;
}

/**
 * An error from the client, with a stable code: `InsecureContext`, `Unsupported`, `OutOfScope`, `ScopeNotAllowed`,
 * `WorkerNotFound`, `WorkerNotJavaScript`, `RegisterFailed`, `Timeout`, `ProtocolMismatch` (start-up);
 * `NoControls`, `WorkerFailed`, `InstallFailed` (calls).
 */
export class EmulatorError extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(`[sw-endpoints] ${message}`);
		this.name = code;
	}
}

/** Rejects with a Timeout whose message, made when time is up, names what was waited for and the likely cause. */
function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new EmulatorError('Timeout', message())), ms);
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

/** Waits until `navigator.serviceWorker.controller` is set; `at` is when (performance.now()), 0 when it already was. */
function controlled(): Promise<{ worker: ServiceWorker; at: number }> {
	const sw = navigator.serviceWorker;
	if (sw.controller) return Promise.resolve({ worker: sw.controller, at: 0 });
	return new Promise((resolve) => {
		sw.addEventListener('controllerchange', function on() {
			if (!sw.controller) return;
			sw.removeEventListener('controllerchange', on);
			resolve({ worker: sw.controller, at: performance.now() });
		});
	});
}

/** The page's URL as scopes are matched against it. */
const pageUrl = () => location.href.split('#')[0];

/** Service workers exist only in secure contexts, and some browsers offer none (private windows, policies). */
function checkContext(): void {
	if (!globalThis.isSecureContext) {
		throw new EmulatorError(
			'InsecureContext',
			`service workers need http://localhost or https (this page is ${location.origin}): open it on localhost or 127.0.0.1, or serve it over https`,
		);
	}
	if (!('serviceWorker' in navigator)) {
		throw new EmulatorError(
			'Unsupported',
			'this browser gives the page no service workers (a private window, or turned off by a policy): open it in a normal window',
		);
	}
}

/** A page outside the scope would never be controlled: every request would go to the network, silently. */
function checkScope(scope: URL, script: URL): void {
	const page = pageUrl();
	if (page.startsWith(scope.href)) return;
	const folder = new URL('./', script);
	const suggestion = page.startsWith(folder.href) ? folder.pathname : new URL('./', page).pathname;
	throw new EmulatorError(
		'OutOfScope',
		`this page ${page} is outside the worker's scope ${scope.href}, so the worker would never answer its requests: ` +
			`pass a scope that contains the page, e.g. startEmulator({ scope: '${suggestion}' })`,
	);
}

/** What `register()` failing means, found by fetching the script as the browser did: missing, not JavaScript, or a scope it may not have. */
async function registrationError(error: unknown, script: URL, scope: URL): Promise<EmulatorError> {
	const reason = String((error as Error)?.message ?? error);
	let response: Response;
	try {
		response = await fetch(script, { cache: 'no-store' });
	} catch {
		return new EmulatorError('RegisterFailed', `could not fetch the worker script ${script.href} (is the server running?): ${reason}`);
	}
	const type = response.headers.get('content-type')?.split(';')[0] || 'no content type';
	const answered = `the server answered ${response.status} ${type}`;
	const fix = 'build the worker (npx sw-endpoints, or the Vite plugin) and pass its URL as `url`';
	const name = script.pathname.split('/').pop() || script.pathname;
	if (!response.ok) return new EmulatorError('WorkerNotFound', `${name} not found at ${script.href} (${answered}): ${fix}`);
	if (!/javascript|ecmascript/i.test(type)) {
		const fallback = type === 'text/html' ? ', likely a single-page app serving index.html for every path' : '';
		return new EmulatorError('WorkerNotJavaScript', `${script.href} is not JavaScript (${answered}${fallback}): ${fix}`);
	}
	return scopeError(response, script, scope) ?? new EmulatorError('RegisterFailed', `could not register ${script.href} with scope ${scope.href}: ${reason}`);
}

/** A worker's scope may not reach above its script's folder unless the server's Service-Worker-Allowed header allows it. */
function scopeError(response: Response, script: URL, scope: URL): EmulatorError | undefined {
	const allowed = response.headers.get('service-worker-allowed');
	const widest = new URL(allowed ?? './', script);
	if (scope.href.startsWith(widest.href)) return undefined;
	const why = allowed ? `its Service-Worker-Allowed header allows ${widest.pathname}` : `the server sent no Service-Worker-Allowed header`;
	return new EmulatorError(
		'ScopeNotAllowed',
		`the scope ${scope.href} is above the folder of ${script.href} and ${why}: serve the worker from ${scope.pathname} (or above), ` +
			`or send \`Service-Worker-Allowed: ${scope.pathname}\` with it`,
	);
}

/** What a start-up wait names when time is up: the worker, the page, and why it likely did not happen. */
function timeouts(script: URL, registration: ServiceWorkerRegistration, ms: number) {
	const at = `the worker at ${script.href}`;
	const foreign = (worker: ServiceWorker | null | undefined) =>
		`${worker?.scriptURL ?? 'the worker'} is likely not an sw-endpoints worker (an app's own worker must importScripts('sw.js') first), or an old one: rebuild and reload`;
	return {
		activation: () =>
			`${at} did not activate within ${ms} ms; a new build caches the page's files before it activates, so one that fails to load (or a slow network) holds it: ` +
			`see its console (DevTools > Application > Service workers)`,
		control: () =>
			`${at} did not take control of ${pageUrl()} within ${ms} ms; the active worker of ${registration.scope} did not claim it: ${foreign(registration.active)}`,
		hello: () => `${at} controls the page but did not answer within ${ms} ms: ${foreign(navigator.serviceWorker.controller)}`,
	};
}

/** Registers the worker (explaining why not, when the browser refuses) and waits until it controls the page and said hello. */
async function connect(options: StartOptions, script: URL, scope: URL) {
	const { timeout = 30_000 } = options;
	const ready = controlled();
	const wb = new Workbox(script.href, { scope: scope.href, type: 'classic' });
	const registration = await wb.register({ immediate: true }).catch(async (error: unknown) => {
		throw await registrationError(error, script, scope);
	});
	if (!registration) throw new EmulatorError('RegisterFailed', `could not register ${script.href} with scope ${scope.href}`);
	const waited = timeouts(script, registration, timeout);
	if (!navigator.serviceWorker.controller) {
		// First load: activation claims us. Shift-reload: the active worker must be asked.
		const active = registration.active ?? (await withTimeout(wb.active, timeout, waited.activation));
		void ask(active, { type: 'claim' });
	}
	const { worker, at } = await withTimeout(ready, timeout, waited.control);
	const hello = await withTimeout(ask(worker, { type: 'hello' }), timeout, waited.hello);
	if (hello.type !== 'hello' || hello.protocol !== PROTOCOL_VERSION) {
		throw new EmulatorError(
			'ProtocolMismatch',
			`the page's client speaks protocol ${PROTOCOL_VERSION} but the worker at ${script.href} does not; rebuild so both come from the same version`,
		);
	}
	return { wb, registration, worker, hello, controlledAt: at };
}

/**
 * Development builds: the page's requests to the worker's routes that started
 * before it controlled the page went to the network; each is named once, so a
 * missing `await startEmulator()` shows as what it is rather than as a 404.
 */
async function warnEarlyRequests(worker: ServiceWorker, scope: URL, controlledAt: number): Promise<void> {
	const early = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
		(e) =>
			(e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest') && e.startTime < controlledAt && !e.workerStart && e.name.startsWith(scope.href),
	);
	if (!early.length) return;
	const reply = await ask(worker, { type: 'answers', urls: [...new Set(early.map((e) => e.name))] });
	if (reply.type !== 'answers' || !reply.urls.length) return;
	const named = reply.urls.map((url) => {
		const path = url.slice(location.origin.length);
		return early.find((e) => e.name === url)?.initiatorType === 'fetch' ? `fetch('${path}')` : `XMLHttpRequest '${path}'`;
	});
	const one = named.length === 1;
	console.warn(
		`[sw-endpoints] ${named.join(', ')} ran before startEmulator() resolved, so the network answered ${one ? 'it' : 'them'}, ` +
			`not your endpoint${one ? '' : 's'}: await startEmulator() before the first request`,
	);
}

/** Why a control cannot run here: the build has no run-time layer. */
function noControls(op: string): EmulatorError {
	return new EmulatorError(
		'NoControls',
		`${op}(): this build has no run-time controls: build it with \`controls: true\`, or as a development build ` +
			`(\`npx sw-endpoints --controls\`, \`controls: true\` in sw-endpoints.config, or the Vite plugin's \`swEndpoints({ controls: true })\`)`,
	);
}

/**
 * Controls a test runner queued before the page loaded apply before the app's
 * first request. The runner hears how each went: a refused one rejects the test,
 * not the page, whose app goes on starting.
 */
async function applyQueued(emulator: Emulator): Promise<void> {
	const hooks = globalThis as TestHooks;
	const queued = (await hooks.__swEndpointsPending?.()) ?? [];
	const outcomes: Array<string | null> = [];
	for (const { op, args } of queued) {
		try {
			await (emulator[op] as (...a: unknown[]) => Promise<unknown>)(...args);
			outcomes.push(null);
		} catch (error) {
			if (!hooks.__swEndpointsApplied) throw error;
			outcomes.push((error as Error).message);
		}
	}
	if (queued.length) await hooks.__swEndpointsApplied?.(outcomes);
}

/**
 * Registers the worker and resolves when it controls this page: on the first
 * load (the worker claims the page on activation) and after a shift-reload (a
 * page loaded without a controller is claimed by the active worker on request).
 * Rejects with an `EmulatorError` saying what to do: an insecure page, a page
 * outside the scope, a worker script missing or not JavaScript, a scope the
 * script may not have, or a wait that timed out.
 */
export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
	const { url = '/sw.js', scope: scopePath = '/', timeout = 30_000 } = options;
	checkContext();
	const script = new URL(url, location.href);
	const scope = new URL(scopePath, location.href);
	checkScope(scope, script);
	listenToWorker();
	const { wb, registration, worker, hello, controlledAt } = await connect(options, script, scope);
	if (hello.dev && controlledAt) void warnEarlyRequests(worker, scope, controlledAt);
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
		if (!hello.controls && !STATE_CONTROLS.includes(op)) throw noControls(op);
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
				if (error.code !== 'WorkerFailed') throw error;
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
			await withTimeout(taken, timeout, () => `the new worker ${next.scriptURL} did not take over within ${timeout} ms`);
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
	await applyQueued(emulator);
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
