// @vitest-environment happy-dom
// startEmulator()'s start-up errors (client/index.ts), against a stand-in for
// navigator.serviceWorker: each failure gets its own code and a message that says
// what to do. tests/browser/start-errors.spec.ts checks the same in Chromium.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { EmulatorError, startEmulator, type StartOptions } from '../../client/index.ts';

const ORIGIN = 'http://localhost:5173';

/** navigator.serviceWorker, as far as startEmulator uses it: `register` decides how registration goes. */
function fakeContainer(register: (url: string, options: RegistrationOptions) => Promise<unknown>) {
	return { controller: null, register: vi.fn(register), addEventListener() {}, removeEventListener() {}, startMessages() {} };
}

function setUp({ page = '/', secure = true, container = fakeContainer(() => new Promise(() => {})) as object | null } = {}) {
	(window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(ORIGIN + page);
	vi.stubGlobal('isSecureContext', secure);
	if (container) Object.defineProperty(navigator, 'serviceWorker', { value: container, configurable: true });
	else delete (navigator as { serviceWorker?: unknown }).serviceWorker;
	return container;
}

/** The error startEmulator rejects with. */
async function failure(options: StartOptions = {}): Promise<EmulatorError> {
	const error = await startEmulator(options).then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(EmulatorError);
	return error as EmulatorError;
}

/** The server's answer to the script URL, when the client fetches it after a failed registration. */
function serverAnswers(status: number, type: string, headers: Record<string, string> = {}) {
	const fetch = vi.fn(async () => new Response('', { status, headers: { 'content-type': type, ...headers } }));
	vi.stubGlobal('fetch', fetch);
	return fetch;
}

const refused = () => fakeContainer(async () => Promise.reject(new TypeError('Failed to register a ServiceWorker: a bad HTTP response code (404)')));

beforeEach(() => vi.spyOn(console, 'error').mockImplementation(() => {}));
afterEach(() => {
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
	delete (navigator as { serviceWorker?: unknown }).serviceWorker;
});

it('an insecure page is told to use localhost or https, naming its origin', async () => {
	setUp({ secure: false });
	const error = await failure();
	expect(error.code).toBe('InsecureContext');
	expect(error.message).toContain(`service workers need http://localhost or https (this page is ${ORIGIN})`);
});

it('a secure page without navigator.serviceWorker is Unsupported', async () => {
	setUp({ container: null });
	expect((await failure()).code).toBe('Unsupported');
});

it('a page outside the scope fails before anything is registered, with a scope that would contain it', async () => {
	const container = setUp({ page: '/app/list.html' }) as ReturnType<typeof fakeContainer>;
	const error = await failure({ scope: '/docs/' });
	expect(error.code).toBe('OutOfScope');
	expect(error.message).toBe(
		`[sw-endpoints] this page ${ORIGIN}/app/list.html is outside the worker's scope ${ORIGIN}/docs/, so the worker would never answer its requests: ` +
			`pass a scope that contains the page, e.g. startEmulator({ scope: '/' })`,
	);
	expect(container.register).not.toHaveBeenCalled();
});

it('a missing worker script (404) is named with its absolute URL, what the server answered and the fix', async () => {
	setUp({ container: refused() });
	const fetch = serverAnswers(404, 'text/html; charset=utf-8');
	const error = await failure({ url: 'build/sw.js' });
	expect(error.code).toBe('WorkerNotFound');
	expect(error.message).toBe(
		`[sw-endpoints] sw.js not found at ${ORIGIN}/build/sw.js (the server answered 404 text/html): ` +
			'build the worker (npx sw-endpoints, or the Vite plugin) and pass its URL as `url`',
	);
	expect(fetch).toHaveBeenCalledWith(new URL(`${ORIGIN}/build/sw.js`), { cache: 'no-store' });
});

it('a 200 that is not JavaScript (an SPA fallback serving index.html) is told apart from a 404', async () => {
	setUp({ container: refused() });
	serverAnswers(200, 'text/html');
	const error = await failure();
	expect(error.code).toBe('WorkerNotJavaScript');
	expect(error.message).toBe(
		`[sw-endpoints] ${ORIGIN}/sw.js is not JavaScript (the server answered 200 text/html, likely a single-page app serving index.html for every path): ` +
			'build the worker (npx sw-endpoints, or the Vite plugin) and pass its URL as `url`',
	);
});

it('a scope above the script’s folder without Service-Worker-Allowed is rewritten with the fix', async () => {
	setUp({
		container: fakeContainer(async () =>
			Promise.reject(new DOMException('The path of the provided scope is not under the max scope allowed', 'SecurityError')),
		),
	});
	serverAnswers(200, 'text/javascript');
	const error = await failure({ url: '/assets/sw.js', scope: '/' });
	expect(error.code).toBe('ScopeNotAllowed');
	expect(error.message).toBe(
		`[sw-endpoints] the scope ${ORIGIN}/ is above the folder of ${ORIGIN}/assets/sw.js and the server sent no Service-Worker-Allowed header: ` +
			'serve the worker from / (or above), or send `Service-Worker-Allowed: /` with it',
	);
});

it('a scope the Service-Worker-Allowed header covers is not blamed: the browser’s reason is passed on', async () => {
	setUp({ container: fakeContainer(async () => Promise.reject(new TypeError('ServiceWorker script evaluation failed'))) });
	serverAnswers(200, 'application/javascript', { 'service-worker-allowed': '/' });
	const error = await failure({ url: '/assets/sw.js', scope: '/' });
	expect(error.code).toBe('RegisterFailed');
	expect(error.message).toContain('ServiceWorker script evaluation failed');
});

it('a worker that never takes control times out naming the worker, the page and the likely cause', async () => {
	const active = { scriptURL: `${ORIGIN}/other-sw.js`, postMessage() {}, addEventListener() {} };
	const registration = { scope: `${ORIGIN}/`, active, waiting: null, installing: null, addEventListener() {} };
	setUp({ container: fakeContainer(async () => registration) });
	const error = await failure({ url: '/other-sw.js', timeout: 50 });
	expect(error.code).toBe('Timeout');
	expect(error.message).toBe(
		`[sw-endpoints] the worker at ${ORIGIN}/other-sw.js did not take control of ${ORIGIN}/ within 50 ms; the active worker of ${ORIGIN}/ did not claim it: ` +
			`${ORIGIN}/other-sw.js is likely not an sw-endpoints worker (an app's own worker must importScripts('sw.js') first), or an old one: rebuild and reload`,
	);
});
