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
// symbol); controls called before the page started it are queued and applied by
// startEmulator() before it resolves, so the app's first request sees them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { build } from '../build.mjs';
import { serveStatic } from './static-server.mjs';

export { expect };

const GLOBAL = 'sw-endpoints.emulator';

/** Builds are shared by the tests of one worker process, per root + config. */
const builds = new Map();

async function serveBuild(options) {
	const key = JSON.stringify([path.resolve(options.root), options.config ?? null]);
	let site = builds.get(key);
	if (!site) {
		site = (async () => {
			const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-pw-'));
			// The controls (use, delay, fail, install) need the run-time layer in the worker.
			const result = await build({ root: options.root, out, config: options.config, controls: true, logger: null });
			const base = result.config.base;
			const server = await serveStatic({ root: out, base });
			return { url: new URL(base, server.url).href, out, server };
		})();
		builds.set(key, site);
	}
	return site;
}

/**
 * @param {import('@playwright/test').Page} page
 * @param {import('@playwright/test').BrowserContext} context
 */
async function createControls(page, context) {
	/** @type {Array<{ op: string, args: unknown[] }>} */
	const pending = [];
	/** @type {import('../sw/protocol/messages.ts').RequestRecord[]} */
	let requests = [];
	const listeners = new Set();
	await context.exposeBinding('__swEndpointsPending', () => pending.splice(0));
	await context.exposeBinding('__swEndpointsRecord', (_source, record) => {
		requests.push(record);
		for (const listener of listeners) listener(record);
	});

	/** Runs `op` on the page's emulator, or queues it until the page starts one. */
	async function call(op, ...args) {
		const live = await page
			.evaluate(
				async ([key, name, list]) => {
					const emulator = globalThis[Symbol.for(key)];
					if (!emulator) return false;
					await emulator[name](...list);
					return true;
				},
				[GLOBAL, op, args],
			)
			.catch((error) => {
				// A page in the middle of navigating: queue, the next page applies it.
				if (/Execution context was destroyed|navigat/i.test(String(error?.message))) return false;
				throw error;
			});
		if (!live) pending.push({ op, args });
	}

	const source = (handler) => {
		if (typeof handler !== 'function' && typeof handler !== 'string') {
			throw new TypeError('[sw-endpoints] use(): the handler must be a function (context) => Response; it runs inside the worker, so it cannot use variables from the test');
		}
		return String(handler);
	};

	return {
		/** A handler that runs inside the worker (sent as source text: no variables from the test) for `method` requests to `path`, until reset(). */
		use: (method, pathPattern, handler, options) => call('use', method, pathPattern, source(handler), options ?? {}),
		delay: (pathPattern, ms, options) => call('delay', pathPattern, ms, options ?? {}),
		fail: (pathPattern, options) => call('fail', pathPattern, options ?? {}),
		setLocals: (locals) => call('setLocals', locals),
		seed: (data) => call('seed', data),
		/** Forgets cookies, sessions, locals, overrides, network rules and the request log. */
		async reset() {
			requests = [];
			pending.length = 0;
			await call('reset');
		},
		install: (file, code, options) => call('install', file, code, options ?? {}),
		/** The page-visible cookies the worker holds (emulator.cookies() in the page); the page must have started its emulator. */
		async cookies() {
			const list = await page.evaluate((key) => globalThis[Symbol.for(key)]?.cookies() ?? null, GLOBAL);
			if (!list) throw new Error('[sw-endpoints] cookies(): the page has not started its emulator yet (await emulator.ready() after page.goto)');
			return list;
		},
		/** the requests the worker answered for this test's pages, in order */
		get requests() {
			return requests;
		},
		/** Streams request records; returns a function that stops. */
		on(event, listener) {
			if (event !== 'request') throw new TypeError(`[sw-endpoints] unknown event "${event}"; the fixture has "request"`);
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		/** Resolves once the page's emulator runs (startEmulator resolved). */
		async ready(timeout = 30_000) {
			await page.waitForFunction((key) => Boolean(globalThis[Symbol.for(key)]), GLOBAL, { timeout });
		},
	};
}

export const test = base.extend({
	/**
	 * `root`: the project (default: the current directory); `config`: config values;
	 * `serve`: build and serve it (default true); false when the app's own server
	 * (Playwright's webServer + baseURL) serves a page that calls startEmulator().
	 */
	emulatorOptions: [{ root: '.', serve: true }, { option: true, scope: 'worker' }],
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
		await use(await createControls(page, context));
	},
});
