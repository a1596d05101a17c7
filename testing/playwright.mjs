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
// answer with a value, need the running emulator).
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
			const base = result.config.base;
			const server = await serveStatic({ root: out, base });
			return { url: new URL(base, server.url).href, out, server };
		})();
		builds.set(key, site);
	}
	return site;
}

/**
 * The fixture: each control goes to the page's emulator (its client carries it to
 * the worker's controls); the request log comes back from the page.
 * @param {import('@playwright/test').Page} page
 * @param {import('@playwright/test').BrowserContext} context
 * @returns {Promise<EmulatorFixture>}
 */
async function createEmulatorFixture(page, context) {
	/** @type {ControlCall[]} */
	const pending = [];
	const log = createRequestLog('the fixture');
	await context.exposeBinding('__swEndpointsPending', () => pending.splice(0));
	await context.exposeBinding('__swEndpointsRecord', (_source, /** @type {import('../sw/protocol/messages.ts').RequestRecord} */ record) => log.add(record));

	/**
	 * Runs a control on the page's emulator, or queues it until the page starts one.
	 * @param {ControlCall} call
	 * @returns {Promise<any>} what the control resolved to
	 */
	async function run({ op, args }) {
		const result = await page
			.evaluate(async ([key, name, list]) => {
				const emulator = /** @type {Record<string, (...a: unknown[]) => Promise<unknown>> | undefined} */ (/** @type {any} */ (globalThis)[Symbol.for(key)]);
				if (!emulator) return { live: false, value: undefined };
				return { live: true, value: await emulator[name](...list) };
			}, /** @type {[string, string, unknown[]]} */ ([GLOBAL, op, args]))
			.catch((/** @type {Error} */ error) => {
				// A page in the middle of navigating: queue, the next page applies it.
				if (/Execution context was destroyed|navigat/i.test(String(error?.message))) return { live: false, value: undefined };
				throw error;
			});
		if (result.live) return result.value;
		if (ANSWERING.has(op)) throw new Error(`[sw-endpoints] ${op}(): the page has not started its emulator yet (await emulator.ready() after page.goto)`);
		pending.push(/** @type {ControlCall} */ ({ op, args }));
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

	return {
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
			await page.waitForFunction((key) => Boolean(/** @type {any} */ (globalThis)[Symbol.for(key)]), GLOBAL, { timeout });
		},
	};
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
		await use(await createEmulatorFixture(page, context));
	},
};

export const test = base.extend(fixtures);
