// The request log in the page: one console line per handled request in a
// development build, none with `quiet`, and composing with an app's own worker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { build } from '../../build.mjs';
import { serveStatic } from '../../testing/static-server.mjs';

const project = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'contract', 'project');

async function serveCopy(extra: Record<string, string>, dev: boolean) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-log-'));
	fs.cpSync(project, root, { recursive: true });
	for (const [file, text] of Object.entries(extra)) fs.writeFileSync(path.join(root, file), text);
	const out = path.join(root, 'dist');
	await build({ root, out, dev, logger: null });
	const server = await serveStatic({ root: out });
	return {
		url: server.url,
		async close() {
			await server.close();
			fs.rmSync(root, { recursive: true, force: true });
		},
	};
}

test('a development build logs method, path, status, time and file; quiet turns it off', async ({ page }) => {
	const site = await serveCopy({}, true);
	try {
		const lines: string[] = [];
		page.on('console', (m) => lines.push(m.text()));
		await page.goto(`${site.url}/`);
		await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
		await page.evaluate(async () => {
			await fetch('/api/items/4');
			await fetch('/api/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"a"}' });
		});
		await expect.poll(() => lines.filter((l) => l.startsWith('[sw-endpoints]')).length).toBe(2);
		const [get, post] = lines.filter((l) => l.startsWith('[sw-endpoints]'));
		expect(get).toMatch(/^\[sw-endpoints\] \d\d:\d\d:\d\d GET \/api\/items\/4 → 404 Not Found \(\d+(\.\d)? ms\) src\/pages\/api\/items\/\[id\]\.ts$/);
		expect(post).toMatch(/^\[sw-endpoints\] \d\d:\d\d:\d\d POST \/api\/items → 201 Created \(\d+(\.\d)? ms\) src\/pages\/api\/items\/index\.ts$/);

		lines.length = 0;
		await page.goto(`${site.url}/?quiet`);
		await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
		const status = await page.evaluate(() => fetch('/api/items').then((r) => r.status));
		expect(status).toBe(200);
		expect(lines.filter((l) => l.startsWith('[sw-endpoints]'))).toEqual([]);
	} finally {
		await site.close();
	}
});

test('an app with its own service worker pulls ours in with importScripts and both answer', async ({ page }) => {
	const appWorker = `// The application's own worker, with sw-endpoints inside it.
importScripts('./sw.js');
self.addEventListener('fetch', (event) => {
	if (self.swEndpoints.answers(event.request)) return;
	if (new URL(event.request.url).pathname === '/app-only') event.respondWith(new Response('from the app worker'));
});
`;
	const appPage = `<!doctype html><meta charset="utf-8"><body><script type="module">
import { startEmulator } from './sw-client.js';
await startEmulator({ url: '/app-sw.js' });
document.body.dataset.ready = 'true';
</script>`;
	const site = await serveCopy({ 'public/app-sw.js': appWorker, 'public/app.html': appPage }, false);
	try {
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto(`${site.url}/app.html`);
		await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
		const answers = await page.evaluate(async () => ({
			script: (await navigator.serviceWorker.getRegistration())?.active?.scriptURL,
			api: await fetch('/api/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' }).then((r) => r.status),
			list: await fetch('/api/items').then((r) => r.json()),
			app: await fetch('/app-only').then((r) => r.text()),
		}));
		expect(answers).toEqual({ script: `${site.url}/app-sw.js`, api: 201, list: [{ id: 1, title: 'x', done: false }], app: 'from the app worker' });
		expect(errors).toEqual([]);
	} finally {
		await site.close();
	}
});

test('a production build without `controls` refuses use() with a message that says how to turn them on', async ({ page }) => {
	const site = await serveCopy({}, false);
	try {
		await page.goto(`${site.url}/`);
		await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
		const refused = await page.evaluate(() =>
			(globalThis as any)[Symbol.for('sw-endpoints.emulator')].use('GET', '/api/items', '() => new Response("x")').then(
				() => 'accepted',
				(e: Error) => e.message,
			),
		);
		expect(refused).toContain('this build has no run-time controls: build it with `controls: true`, or as a development build');
		expect(await page.evaluate(() => fetch('/api/items').then((r) => r.status))).toBe(200);
	} finally {
		await site.close();
	}
});
