// examples/astro-site built with real Astro 7 and the adapter: the built output,
// its try-it blocks answered by the worker in each engine from a plain static
// server, the same under `astro preview`, and `astro dev` left to Astro's own
// dev server (no worker registered).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../testing/static-server.mjs';
import { ENGINES, launch, type EngineBrowser, type EnginePage } from '../engines/index.mjs';
import { REPO, astroBuild, freePort, makeSite, startServer } from './helpers.ts';

let site = '';
let client = '';
let buildOutput = '';

beforeAll(async () => {
	site = makeSite(path.join(REPO, 'examples', 'astro-site'));
	buildOutput = await astroBuild(site);
	client = path.join(site, 'dist', 'client');
});
afterAll(() => {
	if (site) fs.rmSync(site, { recursive: true, force: true });
});

/** Clicks try-it block `index` and resolves with the status and body it shows. */
async function tryIt(page: EnginePage, index: number): Promise<{ status: number; body: any }> {
	await page.evaluate((i: number) => {
		const block = document.querySelectorAll<HTMLElement>('.try-it')[i];
		delete block.dataset.status;
		block.querySelector('button')!.click();
	}, index);
	await page.waitFor((i: number) => document.querySelectorAll<HTMLElement>('.try-it')[i].dataset.status, { args: [index] });
	const text: string = await page.evaluate((i: number) => document.querySelectorAll('.try-it .response')[i].textContent, index);
	const [head, ...rest] = text.split('\n');
	const body = rest.join('\n');
	return { status: Number(head.split(' ')[0]), body: body ? JSON.parse(body) : '' };
}

const BLOCKS = { hello: 0, setName: 1, deleteName: 2, visit: 3, visits: 4, list: 5 };
const waitBlocks = (page: EnginePage) => page.waitFor(() => document.querySelectorAll('.try-it[data-ready]').length === 6);

describe('astro build with the adapter', () => {
	it('writes the site, the worker beside it and the prerendered endpoint, and reports the on-demand routes', () => {
		for (const file of ['index.html', 'docs/index.html', '404.html', 'sw.js', 'sw.js.map', 'api/endpoints.json']) {
			expect(fs.existsSync(path.join(client, file)), file).toBe(true);
		}
		// The prerendered endpoint is the file Astro wrote, not answered by the worker.
		expect(JSON.parse(fs.readFileSync(path.join(client, 'api', 'endpoints.json'), 'utf8')).endpoints).toContain('GET /api/hello');
		expect(buildOutput).toMatch(/λ \/api\/hello\s+src\/pages\/api\/hello\.ts/);
		expect(buildOutput).not.toMatch(/endpoints\.json\.ts/);
		// Every page loads the script that starts the worker.
		const html = fs.readFileSync(path.join(client, 'index.html'), 'utf8');
		const [, page] = /<script type="module" src="\/(_astro\/page\.[^"]+)"/.exec(html) ?? [];
		const imported = [...fs.readFileSync(path.join(client, page), 'utf8').matchAll(/import\s*"\.\/([^"]+)"/g)].map((m) => m[1]);
		const texts = imported.map((f) => fs.readFileSync(path.join(client, '_astro', f), 'utf8'));
		expect(texts.join('\n')).toContain('/sw.js');
	});
});

describe.each(ENGINES)('%s: the built site from a static server', (engine) => {
	it('answers the try-it blocks from the worker: cookies through the middleware, a session across a reload, the prerendered file, offline after one visit', async () => {
		const misses: string[] = [];
		const server = await serveStatic({
			root: client,
			fallback: (req: { url?: string }) => {
				misses.push(req.url ?? '');
				return false;
			},
		});
		let stopped: Promise<void> | undefined;
		const stopServer = () => (stopped ??= server.close());
		const browser = await launch(engine);
		try {
			const page = await browser.newPage();
			await page.goto(`${server.url}/docs/`);
			await waitBlocks(page);
			expect(await tryIt(page, BLOCKS.hello)).toEqual({ status: 200, body: { hello: 'Ada', visitor: 'stranger' } });
			expect(await tryIt(page, BLOCKS.setName)).toEqual({ status: 200, body: { name: 'Ada' } });
			expect(await tryIt(page, BLOCKS.hello)).toEqual({ status: 200, body: { hello: 'Ada', visitor: 'Ada' } });
			expect(await page.evaluate(() => document.cookie)).toContain('name=Ada');
			expect(await page.evaluate(async () => (await fetch('/api/hello')).headers.get('x-answered-by'))).toBe('middleware');
			// A method the endpoint has no handler for: the site's own prerendered 404 page, as Astro answers it.
			const [status, notFound] = await page.evaluate(async () => {
				const response = await fetch('/api/hello', { method: 'DELETE' });
				return [response.status, await response.text()] as const;
			});
			expect(status).toBe(404);
			expect(notFound).toContain('Not in these docs');
			expect(await tryIt(page, BLOCKS.visit)).toEqual({ status: 200, body: { visits: 1 } });
			expect(await tryIt(page, BLOCKS.visit)).toEqual({ status: 200, body: { visits: 2 } });
			await page.reload();
			await waitBlocks(page);
			expect(await tryIt(page, BLOCKS.visits)).toEqual({ status: 200, body: { visits: 2 } });
			expect(await tryIt(page, BLOCKS.deleteName)).toEqual({ status: 204, body: '' });
			expect(await tryIt(page, BLOCKS.hello)).toEqual({ status: 200, body: { hello: 'Ada', visitor: 'stranger' } });
			expect((await tryIt(page, BLOCKS.list)).body.endpoints).toHaveLength(5);
			// No request to an endpoint reached the static server.
			expect(misses.filter((url) => url.startsWith('/api/'))).toEqual([]);
			// Offline after one visit: Astro's pages and assets come from the worker's cache.
			await page.evaluate(() => (globalThis as any)[Symbol.for('sw-endpoints.emulator')].offlineReady());
			await stopServer();
			await page.reload();
			await waitBlocks(page);
			expect(await tryIt(page, BLOCKS.visits)).toEqual({ status: 200, body: { visits: 2 } });
			expect((await tryIt(page, BLOCKS.list)).body.endpoints).toHaveLength(5);
		} catch (error) {
			console.log(`[${browser.version}] console:\n${(await browser.logs().catch(() => [])).join('\n')}`);
			throw error;
		} finally {
			await browser.close();
			await stopServer();
		}
	});
});

// One browser profile and one port for both, as a developer who previews a build and then
// goes back to `astro dev` has: the worker the preview registered must not answer dev's pages.
describe('astro preview, then astro dev on the same origin', () => {
	let port = 0;
	let browser: EngineBrowser;
	beforeAll(async () => {
		port = await freePort();
		browser = await launch('chromium');
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('astro preview serves the built site, whose worker answers the endpoints', async () => {
		const preview = startServer(site, ['node_modules/astro/bin/astro.mjs', 'preview', '--port', String(port), '--host', '127.0.0.1'], /serving .* at http/);
		try {
			await preview.started;
			const page = await browser.newPage();
			await page.goto(`http://127.0.0.1:${port}/docs/`);
			await waitBlocks(page);
			expect(await tryIt(page, BLOCKS.hello)).toEqual({ status: 200, body: { hello: 'Ada', visitor: 'stranger' } });
			expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`http://127.0.0.1:${port}/sw.js`);
			await page.close();
		} finally {
			await preview.stop();
		}
	});

	it('astro dev retires that worker, answers the endpoints itself and registers none', async () => {
		const dev = startServer(site, ['node_modules/astro/bin/astro.mjs', 'dev', '--port', String(port), '--host', '127.0.0.1'], /ready in/);
		try {
			await dev.started;
			const page = await browser.newPage();
			await page.goto(`http://127.0.0.1:${port}/docs/`);
			// The browser's update check finds dev's retiring sw.js, which unregisters and reloads the page.
			await page.waitFor(async () => !navigator.serviceWorker.controller && (await navigator.serviceWorker.getRegistrations()).length === 0);
			await waitBlocks(page);
			expect(await tryIt(page, BLOCKS.setName)).toEqual({ status: 200, body: { name: 'Ada' } });
			expect(await tryIt(page, BLOCKS.hello)).toEqual({ status: 200, body: { hello: 'Ada', visitor: 'Ada' } });
			expect(await tryIt(page, BLOCKS.visit)).toEqual({ status: 200, body: { visits: 1 } });
			expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBe(null);
		} catch (error) {
			console.log(`astro dev:\n${dev.output()}\nconsole:\n${(await browser.logs().catch(() => [])).join('\n')}`);
			throw error;
		} finally {
			await dev.stop();
		}
	});
});
