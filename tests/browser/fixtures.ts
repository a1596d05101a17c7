// Shared set-up for browser tests: the demo built into a temp folder and served
// on 127.0.0.1, plus helpers to stop the worker the way a browser does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { build } from '../../build.mjs';
import { serveStatic } from '../../testing/static-server.mjs';
import { vendorMounts } from '../../demo/vendor-mounts.mjs';
import { api as pageApi, fromPlaywright } from '../engines/page-api.ts';

export { expect };

export interface Site {
	url: string;
	/** paths the static server was asked for (what reached the network) */
	hits: string[];
}

/**
 * Builds `root` into a temp folder and serves it under the config's `base`, with
 * `mounts` (extra folders, as `npm run demo` serves esbuild-wasm); closes and removes it afterwards.
 */
export async function serveProject(root: string, config?: Record<string, unknown>, mounts?: Record<string, string>) {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-browser-'));
	await build({ root, out, config, logger: null });
	const hits: string[] = [];
	const server = await serveStatic({
		root: out,
		base: typeof config?.base === 'string' ? config.base : '/',
		mounts,
		fallback: (req: { url?: string }) => {
			hits.push(req.url ?? '');
			return false;
		},
	});
	return {
		site: { url: server.url, hits } satisfies Site,
		async close() {
			await server.close();
			fs.rmSync(out, { recursive: true, force: true });
		},
	};
}

/** tests/browser/state-app, built once per Playwright worker, with `openApp` and `api` for its pages. */
export const stateApp = base.extend<{}, { site: Site }>({
	site: [
		async ({}, use) => {
			const served = await serveProject(path.resolve('tests/browser/state-app'));
			await use(served.site);
			await served.close();
		},
		{ scope: 'worker' },
	],
});

/** Opens the served app and waits until its emulator controls the page. */
export async function openApp(page: Page, site: Site) {
	await page.goto(`${site.url}/`);
	await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
}

/** fetch() from the page; returns status and parsed JSON (or text). */
export const api = (page: Page, url: string, init?: { method?: string; json?: unknown }) => pageApi(fromPlaywright(page), url, init);

/** Waits until the demo page's emulator controls the page. */
export async function openDemo(page: Page, url: string) {
	await page.goto(url);
	await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

/** Stops every service worker of the context, as the browser does to idle workers. */
export async function stopWorkers(context: BrowserContext, page: Page) {
	const cdp = await context.newCDPSession(page);
	await cdp.send('ServiceWorker.enable');
	await cdp.send('ServiceWorker.stopAllWorkers');
	await cdp.detach();
}

/** `fetch()` from the page, answered or not by the worker: status, body and who answered. */
export async function pageFetch(page: Page, url: string, init?: { method?: string; body?: string; headers?: Record<string, string>; mode?: RequestMode }) {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.url() === new URL(url, page.url()).href),
		page.evaluate(
			([u, i]) =>
				fetch(u, i as RequestInit).then(
					() => undefined,
					() => undefined,
				),
			[url, init ?? {}] as const,
		),
	]);
	return { status: response.status(), fromWorker: response.fromServiceWorker(), text: await response.text().catch(() => ''), headers: response.headers() };
}

/** A test with the demo site served once per worker process; `hits` counts from the start of each test. */
export const test = base.extend<{ demo: Site }, { demoSite: Site }>({
	demoSite: [
		async ({}, use) => {
			const served = await serveProject(path.resolve('demo'), undefined, vendorMounts);
			await use(served.site);
			await served.close();
		},
		{ scope: 'worker' },
	],
	demo: async ({ demoSite }, use) => {
		demoSite.hits.length = 0;
		await use(demoSite);
	},
});

/** Screenshots of the whole page at phone and desktop widths, attached to the test; checks nothing overflows sideways. */
export async function screenshots(page: Page, testInfo: TestInfo, name: string) {
	for (const [label, size] of [
		['phone', { width: 390, height: 844 }],
		['desktop', { width: 1280, height: 800 }],
	] as const) {
		await page.setViewportSize(size);
		expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${label} width`).toBeLessThanOrEqual(size.width);
		const file = testInfo.outputPath(`${name}-${label}.png`);
		await page.screenshot({ path: file, fullPage: true });
		await testInfo.attach(`${name}-${label}`, { path: file, contentType: 'image/png' });
	}
}
