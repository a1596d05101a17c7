// Browser mode of the conformance runner: each fixture is built into a worker,
// served on 127.0.0.1, and every case goes through `exchange()` to the handler
// inside the real worker, in Chromium, Firefox or WebKit (a page's fetch() would
// lose Cookie, Origin and Set-Cookie to the browser, so the raw round trip is the
// faithful one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../build.mjs';
import { launch } from '../engines/index.mjs';
import { serveStatic } from '../../testing/static-server.mjs';
import { replayCases } from './lib/harness.mjs';
import { caseFile, clientFiles, fixtureConfig, writeResult } from './replay.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** What HARNESS_PAGE puts on `window`. @typedef {Window & { ready?: boolean, emulator?: import('../../client/index.ts').Emulator }} HarnessWindow */

/** The page every fixture site gets: it starts the emulator and exposes it to the runner. */
export const HARNESS_PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>conformance</title>
<script type="module">
import { startEmulator } from './sw-client.js';
window.emulator = await startEmulator({ url: './sw.js', scope: './' });
window.ready = true;
</script>`;

/**
 * Builds a project into a temp site with the harness page; returns its folder.
 * @param {string} root
 * @param {Record<string, unknown>} config
 */
export async function buildSite(root, config) {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-site-'));
	const result = await build({ root, out, config, logger: null });
	fs.writeFileSync(path.join(out, 'index.html'), HARNESS_PAGE);
	return { out, prerendered: result.prerendered };
}

/**
 * Opens a page on `url` and waits until the emulator controls it.
 * @param {import('../engines/index.mjs').EngineBrowser} browser
 * @param {string} url
 */
export async function openEmulatorPage(browser, url) {
	const page = await browser.newPage();
	await page.goto(url);
	await page.waitFor(() => /** @type {HarnessWindow} */ (window).ready === true);
	return page;
}

/**
 * Runs in the page (sent as source text): one exchange() through the emulator, bodies as base64.
 * @param {{ method: string, url: string, headers: Array<[string, string]>, body: string | null }} wire
 */
async function exchangeInPage({ method, url, headers, body }) {
	const bytes = body === null ? null : Uint8Array.from(atob(body), (c) => c.charCodeAt(0)).buffer;
	const { emulator } = /** @type {HarnessWindow} */ (window);
	if (!emulator) throw new Error('the harness page has not started the emulator');
	const r = await emulator.exchange({ method, url, headers, body: bytes });
	let bin = '';
	for (const b of new Uint8Array(r.body)) bin += String.fromCharCode(b);
	return { status: r.status, statusText: r.statusText, headers: r.headers, body: btoa(bin) };
}

/**
 * A harness transport that performs one exchange() in the page.
 * @param {import('../engines/index.mjs').EnginePage} page
 * @returns {import('./lib/harness.mjs').Transport}
 */
export function pageTransport(page) {
	return async (wire) => {
		/** @type {Awaited<ReturnType<typeof exchangeInPage>>} */
		const raw = await page.evaluate(exchangeInPage, { ...wire, body: wire.body === null ? null : Buffer.from(wire.body).toString('base64') });
		return { ...raw, body: new Uint8Array(Buffer.from(raw.body, 'base64')) };
	};
}

/**
 * Replays every fixture through the worker in `engine` into `dir`.
 * @param {string} dir
 * @param {string[]} names
 * @param {import('../engines/index.mjs').EngineName} [engine]
 */
export async function runBrowser(dir, names, engine = 'chromium') {
	const browser = await launch(engine);
	console.log(`(${browser.version})`);
	try {
		for (const name of names) {
			const site = await buildSite(path.join(HERE, 'fixtures', name), fixtureConfig(name));
			// A server (an origin) per fixture: its own worker registration and storage.
			const server = await serveStatic({ root: site.out });
			const page = await openEmulatorPage(browser, `${server.url}/`);
			try {
				// exchange() hands the URL to the worker as data, so even the
				// `not-browser-replayable` cases (dot segments, malformed %) reach it.
				const results = await replayCases(caseFile(name), pageTransport(page), { origin: server.url });
				writeResult(dir, name, results, clientFiles(site.prerendered), `sw-endpoints ${engine} (exchange)`);
			} finally {
				await page.close();
				await server.close();
				fs.rmSync(site.out, { recursive: true, force: true });
			}
		}
	} finally {
		await browser.close();
	}
}
