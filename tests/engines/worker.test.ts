// The worker path in every engine: first-load control, what it answers and
// what it leaves to the network, a throwing handler, request bodies read as a
// stream. (A hard reload, which loads a page without a controller, is Chromium's
// test in tests/browser/worker.spec.ts: WebDriver has no shift-reload.)
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, api, freshBrowser, openApp, serveProject } from './helpers.ts';

let demo: Awaited<ReturnType<typeof serveProject>>;
let state: Awaited<ReturnType<typeof serveProject>>;
let bounded: Awaited<ReturnType<typeof serveProject>>;
beforeAll(async () => {
	demo = await serveProject(path.resolve('demo'));
	state = await serveProject(path.resolve('tests/browser/state-app'));
	bounded = await serveProject(path.resolve('tests/browser/state-app'), {
		config: { limits: { bodySize: 100_000, headerSize: 4096, sessionSize: 2000, slowAfter: 100, timeout: 500 } },
	});
});
afterAll(async () => {
	await demo?.close();
	await state?.close();
	await bounded?.close();
});

describe.each(ENGINES)('%s', (engine) => {
	const ctx = freshBrowser(engine);

	it('controls the first load; routes are answered by the worker, everything else by the network', async () => {
		const page = await openApp(ctx.browser, `${demo.url}/`);
		expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
		demo.hits.length = 0;
		const post = await api(page, '/api/posts/2');
		expect(post).toMatchObject({ status: 200, body: { id: '2', title: 'File routes, Astro rules' } });
		expect(await api(page, '/not-in-the-build.css')).toMatchObject({ status: 404 });
		expect(await api(page, '/api/not-a-route')).toMatchObject({ status: 404 });
		expect(demo.hits).toEqual(['/not-in-the-build.css', '/api/not-a-route']);
	});

	it('a throwing handler gives a 500 and the worker keeps serving', async () => {
		const page = await openApp(ctx.browser, `${demo.url}/`);
		expect((await api(page, '/api/boom')).status).toBe(500);
		expect(await api(page, '/api/hello?name=after')).toMatchObject({ status: 200, body: { hello: 'after' } });
	});

	it('request bodies reach the handler as a stream (and as null without one)', async () => {
		const page = await openApp(ctx.browser, `${state.url}/`);
		expect((await api(page, '/api/body')).body).toEqual({ body: null });
		const sent = await page.evaluate(async () => {
			const bytes = new Uint8Array(1_000_000).map((_, i) => i % 251);
			let sum = 0;
			for (const b of bytes) sum = (sum + b) % 65536;
			const res = await fetch('/api/body', { method: 'POST', body: bytes });
			return { sum, answer: await res.json() };
		});
		expect(sent.answer).toEqual({ body: { bytes: 1_000_000, sum: sent.sum } });
		expect((await api(page, '/api/body', { method: 'PUT', json: { a: 1 } })).body).toEqual({ body: { bytes: 7, sum: expect.any(Number) } });
	});

	it('refuses a body past limits.bodySize with 413, a URL past limits.headerSize with 431, a session past limits.sessionSize with 500, answers a hanging handler 504, cuts an endless body, and keeps serving', async () => {
		const page = await openApp(ctx.browser, `${bounded.url}/`);
		const statuses = await page.evaluate(async () => {
			const post = (n: number) => fetch('/api/body', { method: 'POST', body: new Uint8Array(n) }).then((r) => r.status);
			return { within: await post(100_000), past: await post(100_001), url: (await fetch(`/api/body?q=${'a'.repeat(5000)}`)).status };
		});
		expect(statuses).toEqual({ within: 200, past: 413, url: 431 });
		// A handler that never settles: one line after slowAfter, then a 504 naming it.
		const hang = await api(page, '/api/hang');
		expect(hang.status).toBe(504);
		expect(String(hang.body)).toMatch(/GET http:\/\/\S+\/api\/hang \(route \/api\/hang, src\/pages\/api\/hang\.ts\) did not answer within 500 ms/);
		// A body that never ends: the status arrives, the read fails at limits.timeout.
		const endless = await page.evaluate(async () => {
			const res = await fetch('/api/endless');
			return {
				status: res.status,
				read: await res.text().then(
					(text) => `read: ${text}`,
					(error) => `failed: ${error.name}`,
				),
			};
		});
		expect(endless).toMatchObject({ status: 200, read: expect.stringMatching(/^failed: /) });
		// A session past 2,000 bytes is not written; what was stored stays.
		expect((await api(page, '/api/load/write?k=a&v=small', { method: 'POST' })).status).toBe(200);
		expect((await api(page, `/api/load/write?k=b&v=${'x'.repeat(2000)}`, { method: 'POST' })).status).toBe(500);
		expect((await api(page, '/api/load/write')).body).toEqual(['a']);
		expect(await api(page, '/api/body')).toMatchObject({ status: 200, body: { body: null } });
	});
});
