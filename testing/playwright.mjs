// The Playwright fixture: `import { test, expect } from 'sw-endpoints/playwright'`.
//
//   test.use({ emulatorOptions: { root: 'path/to/project' } });
//   test('lists posts', async ({ page, emulator }) => {
//     await emulator.use('GET', '/api/posts', () => Response.json([]));
//     await page.goto('/');
//     ...
//     expect(emulator.requests.map((r) => r.path)).toContain('/api/posts');
//   });
//
// The project is built once per Playwright worker process and served on a free
// port (that becomes `baseURL`); every test has its own browser context, so its
// own worker registration, IndexedDB and cookies: fresh state per test.
// Controls go to the page's emulator (the client registers itself on a global
// symbol), which carries them to the worker's controls; those called before the
// page started it are queued and applied by startEmulator() before it resolves,
// so the app's first request sees them (install, installed and cookies, which
// answer with a value, need the running emulator). A queued control the page
// refuses (a build without the controls) fails the test: `ready()` and the next
// control reject with the page's reason, and the test fails at its end if
// nothing did.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { build } from '../build.mjs';
import { serveStatic } from './static-server.mjs';
import { createRequestLog } from '../sw/protocol/request-log.js';

export { expect };

/** @typedef {import('./playwright.d.mts').EmulatorFixture} EmulatorFixture */
/** @typedef {import('./playwright.d.mts').EmulatorOptions} EmulatorOptions */
/** @typedef {import('../sw/protocol/controls.ts').ControlCall} ControlCall */
/** @typedef {{ url: string, out: string, server: { close(): Promise<void> } }} Site */

const GLOBAL = 'sw-endpoints.emulator';
/** Controls that answer with a value need the page's running emulator; the others are queued until it starts. */
const ANSWERING = new Set(['install', 'installed', 'cookies']);

/** Builds are shared by the tests of one worker process, per root + config. @type {Map<string, Promise<Site>>} */
const builds = new Map();

/**
 * The fixture serves its build's own pages: without an index.html there is none
 * to open, and a test would only time out on a locator. Say what to do instead.
 * @param {string} out
 * @param {string} root
 */
function checkPages(out, root) {
	if (fs.existsSync(path.join(out, 'index.html'))) return;
	throw new Error(
		`[sw-endpoints] the emulator fixture built ${path.resolve(root)} to serve it, but the build has no index.html (from public/), so there is no page to open. ` +
			'If your pages come from Vite or another server, let that server serve them: `test.use({ emulatorOptions: { serve: false } })` with ' +
			"Playwright's `webServer` (e.g. `npm run build && npx vite preview`, the worker built by the sw-endpoints Vite plugin) and `use.baseURL`; " +
			'otherwise add public/index.html, a page that calls startEmulator().',
	);
}

/** @param {EmulatorOptions} options */
async function serveBuild(options) {
	const root = options.root ?? '.';
	const key = JSON.stringify([path.resolve(root), options.config ?? null]);
	let site = builds.get(key);
	if (!site) {
		site = (async () => {
			const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-pw-'));
			// The controls (use, delay, fail, seed, install) need to be in the worker.
			const result = await build({ root, out, config: options.config, controls: true, logger: null });
			try {
				checkPages(out, root);
			} catch (error) {
				fs.rmSync(out, { recursive: true, force: true });
				throw error;
			}
			const base = result.config.base;
			const server = await serveStatic({ root: out, base });
			return { url: new URL(base, server.url).href, out, server };
		})();
		builds.set(key, site);
	}
	return site;
}

/**
 * An error the page's emulator gave, thrown here so its stack points at the test.
 * @param {{ message: string, code?: string }} error
 */
function pageError({ message, code }) {
	return Object.assign(new Error(message), code ? { code } : {});
}

/**
 * Runs one control on the page's emulator; `live: false` when the page has none (yet, or it is navigating).
 * @param {import('@playwright/test').Page} page
 * @param {ControlCall} call
 * @returns {Promise<{ live: boolean, value?: unknown, error?: { message: string, code?: string } }>}
 */
function runInPage(page, { op, args }) {
	return page
		.evaluate(async ([key, name, list]) => {
			const emulator = /** @type {Record<string, (...a: unknown[]) => Promise<unknown>> | undefined} */ (/** @type {any} */ (globalThis)[Symbol.for(key)]);
			if (!emulator) return { live: false };
			try {
				return { live: true, value: await emulator[name](...list) };
			} catch (error) {
				// The page's reason travels as data: the test gets it as its own rejection.
				const { message, code } = /** @type {{ message?: string, code?: string }} */ (error ?? {});
				return { live: true, error: { message: String(message ?? error), code } };
			}
		}, /** @type {[string, string, unknown[]]} */ ([GLOBAL, op, args]))
		.catch((/** @type {Error} */ error) => {
			// A page in the middle of navigating: queue, the next page applies it.
			if (/Execution context was destroyed|navigat/i.test(String(error?.message))) return { live: false };
			throw error;
		});
}

/**
 * What went wrong in the page that the test must hear of: the first queued control
 * the page refused, and a startEmulator() that threw.
 * @param {import('@playwright/test').Page} page
 */
function pageTrouble(page) {
	/** @type {{ error: Error, told: boolean } | undefined} */
	let refused;
	/** @type {Error | undefined} the current document's startEmulator() error (an uncaught [sw-endpoints] error in the page) */
	let startError;
	/** @type {Set<(error: Error) => void>} */
	const waiting = new Set();
	page.on('framenavigated', (frame) => {
		if (frame === page.mainFrame()) startError = undefined;
	});
	page.on('pageerror', (error) => {
		if (!String(error?.message).startsWith('[sw-endpoints]')) return;
		startError = pageError({ message: error.message, code: error.name });
		for (const reject of waiting) reject(startError);
	});
	return {
		/**
		 * Rejects once the page's startEmulator() throws; `done` stops listening.
		 * @returns {{ failed: Promise<never>, done(): void }}
		 */
		startFailure() {
			/** @type {(error: Error) => void} */
			let reject = () => {};
			/** @type {Promise<never>} */
			const failed = new Promise((_resolve, fail) => (reject = fail));
			if (startError) reject(startError);
			else waiting.add(reject);
			return { failed, done: () => waiting.delete(reject) };
		},
		/** @param {Array<string | null>} outcomes */
		applied(outcomes) {
			const message = outcomes.find((m) => m !== null);
			if (message && !refused)
				refused = { error: pageError({ message: `${message} (called before the page loaded; its startEmulator() refused it)` }), told: false };
		},
		/** Rejects the caller with a refusal the test has not heard of yet. */
		tell() {
			if (!refused || refused.told) return;
			refused.told = true;
			throw refused.error;
		},
	};
}

/**
 * The fixture: each control goes to the page's emulator (its client carries it to
 * the worker's controls); the request log comes back from the page.
 * @param {import('@playwright/test').Page} page
 * @param {import('@playwright/test').BrowserContext} context
 * @returns {Promise<{ fixture: EmulatorFixture, settle(): void }>}
 */
async function createEmulatorFixture(page, context) {
	/** @type {ControlCall[]} */
	const pending = [];
	const log = createRequestLog('the fixture');
	const trouble = pageTrouble(page);
	await context.exposeBinding('__swEndpointsPending', () => pending.splice(0));
	await context.exposeBinding('__swEndpointsApplied', (_source, /** @type {Array<string | null>} */ outcomes) => trouble.applied(outcomes));
	await context.exposeBinding('__swEndpointsRecord', (_source, /** @type {import('../sw/protocol/messages.ts').RequestRecord} */ record) => log.add(record));

	/**
	 * Runs a control on the page's emulator, or queues it until the page starts one.
	 * @param {ControlCall} call
	 * @returns {Promise<any>} what the control resolved to
	 */
	async function run(call) {
		trouble.tell();
		const result = await runInPage(page, call);
		if (result.error) throw pageError(result.error);
		if (result.live) return result.value;
		if (ANSWERING.has(call.op))
			throw new Error(`[sw-endpoints] ${call.op}(): the page has not started its emulator yet (await emulator.ready() after page.goto)`);
		pending.push(call);
	}

	/** @param {unknown} handler */
	const source = (handler) => {
		if (typeof handler !== 'function' && typeof handler !== 'string') {
			throw new TypeError(
				'[sw-endpoints] use(): the handler must be a function (context) => Response; it runs inside the worker, so it cannot use variables from the test',
			);
		}
		return String(handler);
	};

	/** @type {EmulatorFixture} */
	const fixture = {
		use: (method, pathPattern, handler, options) => run({ op: 'use', args: [method, pathPattern, source(handler), options ?? {}] }),
		delay: (pathPattern, ms, options) => run({ op: 'delay', args: [pathPattern, ms, options ?? {}] }),
		fail: (pathPattern, options) => run({ op: 'fail', args: [pathPattern, options ?? {}] }),
		setLocals: (locals) => run({ op: 'setLocals', args: [locals] }),
		seed: (data) => run({ op: 'seed', args: [data] }),
		/** Forgets the request log and queued controls too. */
		async reset() {
			log.clear();
			pending.length = 0;
			await run({ op: 'reset', args: [] });
		},
		install: (file, code, options) => run({ op: 'install', args: [file, code, options ?? {}] }),
		uninstall: (file) => run({ op: 'uninstall', args: [file] }),
		installed: () => run({ op: 'installed', args: [] }),
		cookies: () => run({ op: 'cookies', args: [] }),
		get requests() {
			return log.requests;
		},
		on: log.on,
		async ready(timeout = 30_000) {
			const running = page.waitForFunction((key) => Boolean(/** @type {any} */ (globalThis)[Symbol.for(key)]), GLOBAL, { timeout });
			const start = trouble.startFailure();
			try {
				await Promise.race([running, start.failed]);
			} finally {
				start.done();
			}
			trouble.tell();
		},
	};
	// At the test's end: a refused control nothing reported fails the test.
	return { fixture, settle: trouble.tell };
}

/**
 * @type {import('@playwright/test').Fixtures<{ emulator: EmulatorFixture }, { emulatorOptions: EmulatorOptions, emulatorSite: Site | undefined }, import('@playwright/test').PlaywrightTestArgs & import('@playwright/test').PlaywrightTestOptions, import('@playwright/test').PlaywrightWorkerArgs & import('@playwright/test').PlaywrightWorkerOptions>}
 */
const fixtures = {
	/**
	 * `root`: the project (default: the current directory); `config`: config values;
	 * `serve`: build and serve it (default true); false when the app's own server
	 * (Playwright's webServer + baseURL) serves a page that calls startEmulator().
	 */
	emulatorOptions: [
		{ root: '.', serve: true },
		{ option: true, scope: 'worker' },
	],
	emulatorSite: [
		async ({ emulatorOptions }, use) => {
			if (emulatorOptions.serve === false) return use(undefined);
			const site = await serveBuild(emulatorOptions);
			await use(site);
			builds.clear();
			await site.server.close();
			fs.rmSync(site.out, { recursive: true, force: true });
		},
		{ scope: 'worker' },
	],
	baseURL: async ({ emulatorSite, baseURL }, use) => {
		await use(emulatorSite ? emulatorSite.url : baseURL);
	},
	emulator: async ({ page, context }, use) => {
		const { fixture, settle } = await createEmulatorFixture(page, context);
		await use(fixture);
		settle();
	},
};

export const test = base.extend(fixtures);
