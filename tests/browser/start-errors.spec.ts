// startEmulator()'s start-up errors in Chromium: a missing worker script, an SPA
// fallback answering for it, a page outside the scope, a scope the script may not
// have, an insecure page and a worker that never takes control each reject with
// their own code and a message saying what to do; a development build names the
// requests a page made before it was controlled.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { test, expect, type Page } from '@playwright/test';
import { build } from '../../build.mjs';
import { contentTypeFor, serveStatic } from '../../testing/static-server.mjs';

const project = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'contract', 'project');
const FIX = 'build the worker (npx sw-endpoints, or the Vite plugin) and pass its URL as `url`';

/** A page that starts the emulator with the options in its query and keeps what happened in `window.started`. */
const PROBE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body><script type="module">
import { startEmulator } from '/sw-client.js';
const options = JSON.parse(new URLSearchParams(location.search).get('options') ?? '{}');
window.started = await startEmulator(options).then(() => ({ code: 'ok' }), (e) => ({ code: e.code, message: e.message }));
</script>`;

type Files = Record<string, { type: string; body: string | Buffer }>;

/** A server with exact files and no Service-Worker-Allowed header; paths under /spa/ get an HTML page, as a single-page app's fallback does. */
async function serveFiles(files: Files) {
	const server = createServer((req, res) => {
		const pathname = new URL(req.url ?? '/', 'http://x').pathname;
		const file = files[pathname] ?? (pathname.startsWith('/spa/') ? { type: 'text/html', body: '<!doctype html><title>app</title>' } : undefined);
		res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain', 'cache-control': 'no-store' });
		res.end(file?.body ?? 'Not found');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

/** The contract project built into a temp folder (with `pages` added to public/); removed by the returned function. */
async function buildProject(pages: Record<string, string>, dev: boolean) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-start-'));
	fs.cpSync(project, root, { recursive: true });
	for (const [file, text] of Object.entries(pages)) fs.writeFileSync(path.join(root, 'public', file), text);
	const out = path.join(root, 'dist');
	await build({ root, out, dev, logger: null });
	return { out, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

async function started(page: Page, url: string) {
	await page.goto(url);
	await page.waitForFunction(() => (window as any).started, null, { timeout: 20_000 });
	return page.evaluate(() => (window as any).started as { code: string; message?: string });
}

test.describe('start-up errors', () => {
	let site: { url: string; close(): Promise<void> };
	let built: Awaited<ReturnType<typeof buildProject>>;
	test.beforeAll(async () => {
		built = await buildProject({}, false);
		// The whole build (the worker precaches its files before it activates), and probes.
		const files: Files = {};
		for (const file of fs.readdirSync(built.out, { recursive: true, encoding: 'utf8' })) {
			const full = path.join(built.out, file);
			if (fs.statSync(full).isFile()) files[`/${file.split(path.sep).join('/')}`] = { type: contentTypeFor(full), body: fs.readFileSync(full) };
		}
		const js = 'text/javascript';
		site = await serveFiles({
			...files,
			'/probe.html': { type: 'text/html', body: PROBE },
			'/pages/probe.html': { type: 'text/html', body: PROBE },
			'/assets/sw.js': files['/sw.js'],
			// A worker of the app's own that is no sw-endpoints worker: it never claims the page.
			'/plain-sw.js': { type: js, body: 'self.addEventListener("fetch", () => {});' },
		});
	});
	test.afterAll(async () => {
		await site.close();
		built.remove();
	});
	const probe = (options: object, page = '/probe.html') => `${site.url}${page}?options=${encodeURIComponent(JSON.stringify(options))}`;

	test('the probe page starts with the worker where it is', async ({ page }) => {
		expect(await started(page, probe({ url: '/sw.js' }))).toEqual({ code: 'ok' });
	});

	test('a worker script that is not there: 404, its absolute URL and the fix', async ({ page }) => {
		expect(await started(page, probe({ url: '/missing/sw.js' }))).toEqual({
			code: 'WorkerNotFound',
			message: `[sw-endpoints] sw.js not found at ${site.url}/missing/sw.js (the server answered 404 text/plain): ${FIX}`,
		});
	});

	test('an SPA fallback answering 200 text/html for the script is told apart from a 404', async ({ page }) => {
		expect(await started(page, probe({ url: '/spa/sw.js' }))).toEqual({
			code: 'WorkerNotJavaScript',
			message: `[sw-endpoints] ${site.url}/spa/sw.js is not JavaScript (the server answered 200 text/html, likely a single-page app serving index.html for every path): ${FIX}`,
		});
	});

	test('a page outside the scope fails at once, registering nothing', async ({ page }) => {
		const url = probe({ scope: '/api/' }, '/pages/probe.html');
		expect(await started(page, url)).toEqual({
			code: 'OutOfScope',
			message:
				`[sw-endpoints] this page ${url} is outside the worker's scope ${site.url}/api/, so the worker would never answer its requests: ` +
				`pass a scope that contains the page, e.g. startEmulator({ scope: '/' })`,
		});
		expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
	});

	test('the browser’s SecurityError for a scope above the script’s folder is rewritten with the fix', async ({ page }) => {
		expect(await started(page, probe({ url: '/assets/sw.js', scope: '/' }))).toEqual({
			code: 'ScopeNotAllowed',
			message:
				`[sw-endpoints] the scope ${site.url}/ is above the folder of ${site.url}/assets/sw.js and the server sent no Service-Worker-Allowed header: ` +
				'serve the worker from / (or above), or send `Service-Worker-Allowed: /` with it',
		});
	});

	test('a worker that never takes control times out naming the worker, the page and the likely cause', async ({ page }) => {
		const url = probe({ url: '/plain-sw.js', timeout: 2000 });
		const { code, message } = await started(page, url);
		expect(code).toBe('Timeout');
		expect(message).toBe(
			`[sw-endpoints] the worker at ${site.url}/plain-sw.js did not take control of ${url} within 2000 ms; the active worker of ${site.url}/ did not claim it: ` +
				`${site.url}/plain-sw.js is likely not an sw-endpoints worker (an app's own worker must importScripts('sw.js') first), or an old one: rebuild and reload`,
		);
	});

	test('an insecure page (not localhost, not https) is told where service workers run', async ({ page }) => {
		const origin = 'http://sw-endpoints.test';
		await page.route(`${origin}/**`, async (route) => {
			const file = new URL(route.request().url()).pathname === '/sw-client.js' ? 'sw-client.js' : undefined;
			await route.fulfill(
				file
					? { contentType: 'text/javascript', body: fs.readFileSync(path.join(built.out, file)) }
					: { contentType: 'text/html', body: PROBE.replace('/sw-client.js', `${origin}/sw-client.js`) },
			);
		});
		expect(await started(page, `${origin}/probe.html`)).toEqual({
			code: 'InsecureContext',
			message: `[sw-endpoints] service workers need http://localhost or https (this page is ${origin}): open it on localhost or 127.0.0.1, or serve it over https`,
		});
	});
});

test.describe('requests made before startEmulator() resolved', () => {
	const EARLY = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body><script type="module">
import { startEmulator } from './sw-client.js';
// The mistake: requests before the worker controls the page. Only the route is named.
await fetch('/api/items');
await fetch('/not-a-route.txt');
await startEmulator();
document.body.dataset.ready = 'true';
</script>`;
	const WARNING =
		"[sw-endpoints] fetch('/api/items') ran before startEmulator() resolved, so the network answered it, not your endpoint: await startEmulator() before the first request";

	/** The page's `[sw-endpoints]` console warnings, as they come. */
	function warningsOf(page: Page) {
		const warnings: string[] = [];
		page.on('console', (m) => m.type() === 'warning' && m.text().startsWith('[sw-endpoints]') && warnings.push(m.text()));
		return warnings;
	}

	/** Serves a build of the project with the early page, for `visit`. */
	async function withEarlyPage(dev: boolean, visit: (url: string) => Promise<void>) {
		const built = await buildProject({ 'early.html': EARLY }, dev);
		const server = await serveStatic({ root: built.out });
		try {
			await visit(`${server.url}/early.html`);
		} finally {
			await server.close();
			built.remove();
		}
	}

	const open = async (page: Page, url: string) => {
		await page.goto(url);
		await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
	};

	test('a development build names them in one console warning; a controlled reload has none', async ({ page }) => {
		const warnings = warningsOf(page);
		await withEarlyPage(true, async (url) => {
			await open(page, url);
			await expect.poll(() => warnings).toEqual([WARNING]);
			// Controlled from the start, the same requests reach the worker: nothing to say.
			await page.reload();
			await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
			await page.waitForTimeout(500);
		});
		expect(warnings).toEqual([WARNING]);
	});

	test('a production build stays silent', async ({ page }) => {
		const warnings = warningsOf(page);
		await withEarlyPage(false, async (url) => {
			await open(page, url);
			// The warning would follow one message round trip: give it ample time to show.
			await page.waitForTimeout(500);
		});
		expect(warnings).toEqual([]);
	});
});
