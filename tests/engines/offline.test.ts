// Offline after one visit, and the update flow, in every engine. Offline here is
// the server gone (its port refuses connections): the engines driven over
// WebDriver have no switch for the network, and a dead server is what a visitor
// offline meets too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../build.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { ENGINES, freshBrowser, openApp, serveProject, waitReady } from './helpers.ts';
import type { EnginePage } from './index.mjs';

/** fetch() from the page: status and body text. */
function get(page: EnginePage, url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string }> {
	return page.evaluate(async (u: string, i: RequestInit) => {
		const res = await fetch(u, i);
		return { status: res.status, text: await res.text() };
	}, url, init);
}

/** A small project in a temp dir, with one on-demand and one prerendered endpoint saying `word`. */
function tempProject(word: string) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-engines-update-'));
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		fs.writeFileSync(path.join(root, file), text);
	};
	const endpoints = (w: string) => {
		write('src/pages/api/word.ts', `export const GET = () => new Response(${JSON.stringify(w)});\n`);
		write('src/pages/api/static.txt.ts', `export const prerender = true;\nexport const GET = () => new Response(${JSON.stringify(`static ${w}`)});\n`);
	};
	endpoints(word);
	write(
		'public/index.html',
		`<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>update</title>
<script type="module">
import { startEmulator } from './sw-client.js';
window.updates = 0;
window.emulator = await startEmulator({ url: './sw.js', scope: './', reloadOnUpdate: false });
window.emulator.on('update', () => window.updates++);
document.body.dataset.ready = 'true';
</script>`,
	);
	return { root, out: path.join(root, 'dist'), endpoints, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

describe.each(ENGINES)('%s', (engine) => {
	const ctx = freshBrowser(engine);

	it('after one visit the demo loads with the server gone, and prerendered and on-demand endpoints answer, reloads included', async () => {
		const site = await serveProject(path.resolve('demo'));
		let closed = false;
		try {
			const page = await openApp(ctx.browser, `${site.url}/`);
			await page.evaluate(() => (window as any).emulator.offlineReady().then(() => null));
			await site.close();
			closed = true;
			for (let round = 0; round < 2; round++) {
				await page.reload();
				await waitReady(page);
				expect(await page.evaluate(() => document.querySelector('h1')?.textContent)).toContain('sw-endpoints');
				const post = await get(page, '/api/posts/2.json');
				expect(post.status).toBe(200);
				expect(JSON.parse(post.text)).toMatchObject({ id: '2', prerendered: true });
				expect(JSON.parse((await get(page, '/api/tags.json')).text)).toEqual(['intro', 'offline', 'routing']);
				expect(JSON.parse((await get(page, '/api/hello?name=plane')).text)).toMatchObject({ hello: 'plane' });
				const echo = await get(page, '/api/echo', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
				expect(echo.status).toBe(201);
			}
			const visits = async () => JSON.parse((await get(page, '/api/visits', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).text).visits;
			const first = await visits();
			expect(await visits()).toBe(first + 1);
		} finally {
			if (!closed) await site.close();
		}
	});

	it('a second build is announced, activated by update(), and the old build’s cache is gone', async () => {
		const project = tempProject('one');
		await build({ root: project.root, logger: null });
		const server = await serveStatic({ root: project.out });
		try {
			const page = await openApp(ctx.browser, `${server.url}/`);
			expect((await get(page, '/api/word')).text).toBe('one');
			expect((await get(page, '/api/static.txt')).text).toBe('static one');
			const oldVersion: string = await page.evaluate(() => (window as any).emulator.version);
			await page.waitFor((v: string) => caches.keys().then((k) => k.length === 1 && k[0] === `sw-endpoints-precache-${v}`), { args: [oldVersion] });

			project.endpoints('two');
			await build({ root: project.root, logger: null });
			await page.evaluate(() => (window as any).emulator.registration.update().then(() => null));
			await page.waitFor(() => (window as any).updates === 1);
			// Until update(), the running build keeps answering with its own endpoints and files.
			expect((await get(page, '/api/word')).text).toBe('one');
			expect((await get(page, '/api/static.txt')).text).toBe('static one');

			expect(await page.evaluate(() => (window as any).emulator.update())).toBe(true);
			expect((await get(page, '/api/word')).text).toBe('two');
			expect((await get(page, '/api/static.txt')).text).toBe('static two');
			await page.waitFor((v: string) => caches.keys().then((k) => k.length === 1 && k[0] !== `sw-endpoints-precache-${v}`), { args: [oldVersion] });
		} finally {
			await server.close();
			project.remove();
		}
	});
});
