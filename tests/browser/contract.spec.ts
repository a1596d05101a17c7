// The contract scenarios in Playwright mode: the `emulator` fixture of
// sw-endpoints/playwright, a real worker in Chromium, the page's own fetch().
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test, type EmulatorFixture } from '../../testing/playwright.mjs';
import { observe, scenarios, type Driver, type Observed, type RequestInit } from '../contract/scenarios.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'contract', 'project');
test.use({ emulatorOptions: { root } });

function driver(page: Page, emulator: EmulatorFixture): Driver {
	return {
		request: (url: string, init: RequestInit = {}) =>
			page.evaluate(
				async ([url, init, observeSource]) => {
					const observeIt = new Function(`return (${observeSource})`)() as (r: Response) => Promise<Observed>;
					const headers = { ...init.headers, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) };
					const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
					try {
						return await observeIt(await fetch(url, { method: init.method ?? 'GET', headers, body }));
					} catch {
						return { error: 'network' } as const;
					}
				},
				[url, init, observe.toString()] as const,
			),
		documentCookie: () => page.evaluate(() => document.cookie),
		use: (method, p, handler, options) => emulator.use(method, p, handler, options),
		delay: (p, ms, options) => emulator.delay(p, ms, options),
		fail: (p, options) => emulator.fail(p, options),
		setLocals: (locals) => emulator.setLocals(locals),
		seed: (data) => emulator.seed(data),
		reset: () => emulator.reset(),
		log: async (count) => {
			// Records come from the worker beside the responses, by message: wait for them.
			await expect.poll(() => emulator.requests.length).toBeGreaterThanOrEqual(count);
			return emulator.requests.map(({ method, path: p, status, kind, route, params }) => ({ method, path: p, status, kind, route, params }));
		},
	};
}

test.describe('contract (playwright + worker)', () => {
	for (const scenario of scenarios) {
		test(scenario.name, async ({ page, emulator }) => {
			await page.goto('./');
			await emulator.ready();
			expect(await scenario.run(driver(page, emulator))).toEqual(scenario.expected);
		});
	}
});

test.describe('the fixture', () => {
	test('controls set before the page loads apply to its first request', async ({ page, emulator }) => {
		await emulator.use('GET', '/api/items', () => Response.json(['from the test']));
		await emulator.setLocals({ role: 'viewer' });
		await page.goto('./');
		await emulator.ready();
		const first = await page.evaluate(() => fetch('/api/items').then((r) => r.json()));
		const me = await page.evaluate(() => fetch('/api/me').then((r) => r.json()));
		expect(first).toEqual(['from the test']);
		expect(me).toEqual({ cookie: null, user: null, role: 'viewer' });
	});

	test('cookies() lists the page-visible cookies the worker holds, and whether document.cookie shows them', async ({ page, emulator }) => {
		await page.goto('./');
		await emulator.ready();
		await page.evaluate(() => fetch('/api/prefs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"theme":"dark"}' }));
		expect(await emulator.cookies()).toEqual([{ name: 'theme', value: 'dark', path: '/', expires: null, inDocument: true }]);
		expect(await page.evaluate(() => document.cookie)).toBe('theme=dark');
	});

	// Two tests write the same session key; each starts from nothing (own context).
	test('isolation: the first test counts to two', async ({ page, emulator }) => {
		await page.goto('./');
		await emulator.ready();
		const counts = await page.evaluate(async () => {
			await fetch('/api/counter', { method: 'POST' });
			return (await fetch('/api/counter', { method: 'POST' })).json();
		});
		expect(counts).toEqual({ count: 2 });
		await emulator.use('GET', '/api/items', () => Response.json(['leak?']));
	});

	test('isolation: the second test starts at one, without the first one’s override', async ({ page, emulator }) => {
		await page.goto('./');
		await emulator.ready();
		expect(await page.evaluate(() => fetch('/api/counter', { method: 'POST' }).then((r) => r.json()))).toEqual({ count: 1 });
		expect(await page.evaluate(() => fetch('/api/items').then((r) => r.json()))).toEqual([]);
	});

	test('overrides and rules outlast a worker restart, and the request log streams', async ({ page, context, emulator }) => {
		const seen: string[] = [];
		emulator.on('request', (r) => seen.push(`${r.method} ${r.path} ${r.status}`));
		await page.goto('./');
		await emulator.ready();
		await emulator.use('GET', '/api/items', () => Response.json(['kept']));
		const cdp = await context.newCDPSession(page);
		await cdp.send('ServiceWorker.enable');
		await cdp.send('ServiceWorker.stopAllWorkers');
		expect(await page.evaluate(() => fetch('/api/items').then((r) => r.json()))).toEqual(['kept']);
		await expect.poll(() => seen).toContain('GET /api/items 200');
	});
});
