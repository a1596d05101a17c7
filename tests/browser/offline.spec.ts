// Prerendered endpoints and the app shell from Cache Storage: offline after one
// visit, clean updates between builds, and watch mode reaching an open page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { build, watch } from '../../build.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { expect, openDemo, test } from './fixtures.ts';

/** fetch() from the page: status, body text, and whether it went through without the network. */
function get(page: Page, url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
	return page.evaluate(
		async ([u, i]) => {
			const res = await fetch(u, i);
			return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
		},
		[url, init] as const,
	);
}

/** A copy of a small project in a temp dir, with one on-demand and one prerendered endpoint saying `word`. */
function tempProject(word: string) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-update-'));
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
	return { root, out: path.join(root, 'dist'), endpoints, write, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

test('after one visit the demo loads offline and every prerendered and on-demand endpoint answers', async ({ page, context, demo }) => {
	await openDemo(page, `${demo.url}/`);
	await page.evaluate(() => (window as any).emulator.offlineReady());
	await context.setOffline(true);
	await page.reload();
	await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
	await expect(page.getByRole('heading', { name: 'sw-endpoints' })).toBeVisible();
	await expect(page.locator('#status')).toContainText('Worker in control');

	expect(await get(page, '/api/posts/2.json')).toMatchObject({ status: 200, type: 'application/json' });
	expect(JSON.parse((await get(page, '/api/posts/2.json')).text)).toMatchObject({ id: '2', prerendered: true });
	expect(JSON.parse((await get(page, '/api/tags.json')).text)).toEqual(['intro', 'offline', 'routing']);
	expect(JSON.parse((await get(page, '/api/hello?name=plane')).text)).toMatchObject({ hello: 'plane' });
	expect(JSON.parse((await get(page, '/api/posts')).text)).toHaveLength(3);
	const echo = await get(page, '/api/echo', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
	expect(echo.status).toBe(201);
	const visits = async () => JSON.parse((await get(page, '/api/visits', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).text).visits;
	const first = await visits();
	expect(await visits()).toBe(first + 1);
	// The UI still works offline too.
	await page.getByRole('button', { name: /api\/tags\.json/ }).click();
	await expect(page.locator('#result')).toContainText('"offline"');
});

test('a second build is announced, activated by update(), and the old build’s cache is gone', async ({ page }) => {
	const project = tempProject('one');
	await build({ root: project.root, logger: null });
	const server = await serveStatic({ root: project.out });
	try {
		await page.goto(`${server.url}/`);
		await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
		expect((await get(page, '/api/word')).text).toBe('one');
		expect((await get(page, '/api/static.txt')).text).toBe('static one');
		const oldVersion = await page.evaluate(() => (window as any).emulator.version);
		const oldCaches = await page.evaluate(() => caches.keys());
		expect(oldCaches).toEqual([`sw-endpoints-precache-${oldVersion}`]);

		project.endpoints('two');
		await build({ root: project.root, logger: null });
		await page.evaluate(() => (window as any).emulator.registration.update());
		await expect.poll(() => page.evaluate(() => (window as any).updates), { timeout: 15_000 }).toBe(1);
		// Until update(), the running build keeps answering with its own endpoints and files.
		expect((await get(page, '/api/word')).text).toBe('one');
		expect((await get(page, '/api/static.txt')).text).toBe('static one');

		expect(await page.evaluate(() => (window as any).emulator.update())).toBe(true);
		expect((await get(page, '/api/word')).text).toBe('two');
		expect((await get(page, '/api/static.txt')).text).toBe('static two');
		const newCaches = await page.evaluate(() => caches.keys());
		expect(newCaches).toHaveLength(1);
		expect(newCaches[0]).not.toBe(`sw-endpoints-precache-${oldVersion}`);
	} finally {
		await server.close();
		project.remove();
	}
});

test('watch mode: a rebuild reaches the open page, and a broken file leaves the last good build serving', async ({ page }) => {
	const project = tempProject('first');
	const errors: string[] = [];
	const logger = { log() {}, info() {}, warn() {}, debug() {}, error: (m: string) => errors.push(String(m)) };
	const watcher = await watch({ root: project.root, logger });
	const server = await serveStatic({ root: project.out });
	try {
		await page.goto(`${server.url}/`);
		await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
		expect((await get(page, '/api/word')).text).toBe('first');

		project.endpoints('second');
		await expect.poll(async () => (await get(page, '/api/word').catch(() => ({ text: '' }))).text, { timeout: 20_000 }).toBe('second');
		expect((await get(page, '/api/static.txt')).text).toBe('static second');

		project.write('src/pages/api/word.ts', 'export const GET = () => new Response("third";\n');
		await expect.poll(() => errors.join('\n'), { timeout: 20_000 }).toContain('word.ts:1');
		expect(errors.join('\n')).toContain('the last good build keeps serving');
		await page.waitForTimeout(1500);
		expect((await get(page, '/api/word')).text).toBe('second');

		project.endpoints('fixed');
		await expect.poll(async () => (await get(page, '/api/word').catch(() => ({ text: '' }))).text, { timeout: 20_000 }).toBe('fixed');
	} finally {
		watcher.close();
		await server.close();
		project.remove();
	}
});
