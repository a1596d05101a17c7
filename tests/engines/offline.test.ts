// Offline after one visit, and the update flow, in every engine. Offline here is
// the server gone (its port refuses connections): the engines driven over
// WebDriver have no switch for the network, and a dead server is what a visitor
// offline meets too.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../build.mjs';
import { serveStatic } from '../../testing/static-server.mjs';
import { ENGINES, freshBrowser, openApp, serveProject, waitReady } from './helpers.ts';
import type { EnginePage } from './index.mjs';
import { tempProject } from './temp-project.ts';

/** fetch() from the page: status and body text. */
function get(
	page: EnginePage,
	url: string,
	init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
	return page.evaluate(
		async (u: string, i: RequestInit) => {
			const res = await fetch(u, i);
			return { status: res.status, text: await res.text() };
		},
		url,
		init,
	);
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
			const visits = async () =>
				JSON.parse((await get(page, '/api/visits', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).text).visits;
			const first = await visits();
			expect(await visits()).toBe(first + 1);
		} finally {
			if (!closed) await site.close();
		}
	});

	it('Cache Storage evicted under an open page: files are answered from the network, offlineReady() fills the cache again, and offline works', async () => {
		const site = await serveProject(path.resolve('demo'));
		let closed = false;
		try {
			const page = await openApp(ctx.browser, `${site.url}/`);
			await page.evaluate(() => (window as any).emulator.offlineReady().then(() => null));
			// What a browser under storage pressure (or the user clearing "cached files") does.
			expect(
				await page.evaluate(async () => Promise.all((await caches.keys()).map((name) => caches.delete(name))).then((done) => done.length)),
			).toBeGreaterThan(0);
			expect(JSON.parse((await get(page, '/api/posts/2.json')).text)).toMatchObject({ id: '2', prerendered: true });
			// Without the refill the reload below fails: the page and /api/posts/3.json are in no cache.
			await page.evaluate(() => (window as any).emulator.offlineReady().then(() => null));
			await site.close();
			closed = true;
			await page.reload();
			await waitReady(page);
			expect(JSON.parse((await get(page, '/api/posts/3.json')).text)).toMatchObject({ id: '3', prerendered: true });
			expect(JSON.parse((await get(page, '/api/hello?name=plane')).text)).toMatchObject({ hello: 'plane' });
		} finally {
			if (!closed) await site.close();
		}
	});

	it('a second build is announced, activated by update(), and the old build’s cache and installed code are gone', async () => {
		const project = tempProject('one');
		// With the controls, to see what happens to installed code on update.
		await build({ root: project.root, logger: null, controls: true });
		const server = await serveStatic({ root: project.out });
		try {
			const page = await openApp(ctx.browser, `${server.url}/`);
			expect((await get(page, '/api/word')).text).toBe('one');
			expect((await get(page, '/api/static.txt')).text).toBe('static one');
			const oldVersion: string = await page.evaluate(() => (window as any).emulator.version);
			await page.waitFor((v: string) => caches.keys().then((k) => k.length === 1 && k[0] === `sw-endpoints-precache-${v}`), { args: [oldVersion] });

			await page.evaluate(async () => {
				const emulator = (window as any).emulator;
				await emulator.install('api/dropped.ts', 'exports.GET = () => new Response("dropped");');
				await emulator.install('api/kept.ts', 'exports.GET = () => new Response("kept");', { keep: true });
			});
			expect((await get(page, '/api/dropped')).text).toBe('dropped');

			project.endpoints('two');
			await build({ root: project.root, logger: null, controls: true });
			await page.evaluate(() => (window as any).emulator.registration.update().then(() => null));
			await page.waitFor(() => (window as any).updates === 1);
			// Until update(), the running build keeps answering with its own endpoints and files.
			expect((await get(page, '/api/word')).text).toBe('one');
			expect((await get(page, '/api/static.txt')).text).toBe('static one');

			expect(await page.evaluate(() => (window as any).emulator.update())).toBe(true);
			expect((await get(page, '/api/word')).text).toBe('two');
			expect((await get(page, '/api/static.txt')).text).toBe('static two');
			// Installed code belongs to the build it was installed under, unless kept on purpose.
			expect(await page.evaluate(() => (window as any).emulator.installed().then((list: Array<{ file: string }>) => list.map((e) => e.file)))).toEqual([
				'api/kept.ts',
			]);
			expect((await get(page, '/api/kept')).text).toBe('kept');
			await page.waitFor((v: string) => caches.keys().then((k) => k.length === 1 && k[0] !== `sw-endpoints-precache-${v}`), { args: [oldVersion] });
		} finally {
			await server.close();
			project.remove();
		}
	});
});
