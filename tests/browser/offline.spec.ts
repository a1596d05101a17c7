// Prerendered endpoints and the app shell from Cache Storage: offline after one
// visit with the network cut (context.setOffline), and watch mode reaching an open
// page. Updates between builds, and offline with the server gone, run in all three
// engines (tests/engines/offline.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { watch } from '../../build.mjs';
import { serveStatic } from '../../testing/static-server.mjs';
import { tempProject } from '../engines/temp-project.ts';
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
	const visits = async () =>
		JSON.parse((await get(page, '/api/visits', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).text).visits;
	const first = await visits();
	expect(await visits()).toBe(first + 1);
	// The UI still works offline too.
	await page.getByRole('button', { name: /api\/tags\.json/ }).click();
	await expect(page.locator('#result')).toContainText('"offline"');
});

test('watch mode: a rebuild reaches the open page, and a broken file leaves the last good build serving', async ({ page }) => {
	const project = tempProject('first');
	const errors: string[] = [];
	const logger = { log() {}, info() {}, warn() {}, debug() {}, error: (m: string) => errors.push(String(m)) };
	// What the watcher built, and when: a failure below says whether the build or the browser's update was missing.
	const builds: string[] = [];
	const watcher = await watch({ root: project.root, logger, onBuild: (r) => builds.push(`${new Date().toISOString()} built ${r.precache.version}`) });
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
		builds.push(`${new Date().toISOString()} wrote "fixed"`);
		try {
			await expect.poll(async () => (await get(page, '/api/word').catch(() => ({ text: '' }))).text, { timeout: 20_000 }).toBe('fixed');
		} catch (e) {
			const state = await page.evaluate(async () => {
				const r = await navigator.serviceWorker.getRegistration();
				const d = (w: ServiceWorker | null | undefined) => (w ? w.state : 'none');
				return { installing: d(r?.installing), waiting: d(r?.waiting), active: d(r?.active), controller: !!navigator.serviceWorker.controller };
			});
			const built = fs.readFileSync(path.join(project.out, 'sw.js'), 'utf8').includes('"fixed"');
			throw new Error(`${(e as Error).message}\nbuilds: ${builds.join('; ')}\nsw.js says "fixed": ${built}\nregistration: ${JSON.stringify(state)}`);
		}
	} finally {
		watcher.close();
		await server.close();
		project.remove();
	}
});
