// What the three-engine suites share: a project built and served on 127.0.0.1,
// a fresh browser per test, and fetch() from the page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, onTestFailed } from 'vitest';
import { build } from '../../build.mjs';
import { serveStatic } from '../../testing/static-server.mjs';
import { launch, type EngineBrowser, type EngineName, type EnginePage } from './index.mjs';

export { ENGINES } from './index.mjs';
export { api, documentCookies } from './page-api.ts';

/** Builds `root` into a temp folder and serves it; `close()` stops the server and removes the folder. */
export async function serveProject(root: string, options: { config?: Record<string, unknown>; out?: string; mounts?: Record<string, string> } = {}) {
	const out = options.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sw-engines-'));
	await build({ root, out, config: options.config, logger: null });
	const hits: string[] = [];
	const server = await serveStatic({
		root: out,
		base: typeof options.config?.base === 'string' ? options.config.base : '/',
		mounts: options.mounts,
		fallback: (req: { url?: string }) => {
			hits.push(req.url ?? '');
			return false;
		},
	});
	return {
		url: server.url as string,
		out,
		/** paths the server was asked for and did not have (what reached the network) */
		hits,
		async close() {
			await server.close();
			if (!options.out) fs.rmSync(out, { recursive: true, force: true });
		},
	};
}

/**
 * A fresh browser of `engine` for each test of the calling describe block (a
 * profile of its own: no cookie, registration or database carries over); its
 * console lines are printed when the test fails.
 */
export function freshBrowser(engine: EngineName): { readonly browser: EngineBrowser } {
	const holder = {} as { browser: EngineBrowser };
	beforeEach(async () => {
		holder.browser = await launch(engine);
		const browser = holder.browser;
		onTestFailed(async () => {
			const lines = await browser.logs().catch(() => []);
			if (lines.length) console.log(`[${browser.version}] console:\n${lines.join('\n')}`);
		});
	});
	afterEach(async () => {
		await holder.browser?.close();
	});
	return holder;
}

/** Opens `url` in a new tab and waits until its emulator controls it (`body[data-ready=true]`). */
export async function openApp(browser: EngineBrowser, url: string): Promise<EnginePage> {
	const page = await browser.newPage();
	await page.goto(url);
	await waitReady(page);
	return page;
}

export function waitReady(page: EnginePage) {
	return page.waitFor(() => document.body?.dataset.ready === 'true');
}
