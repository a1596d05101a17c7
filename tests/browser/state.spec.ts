// State that survives the worker: cookies through the worker's jar (and the real
// browser's store for page-visible ones), sessions and locals in IndexedDB.
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, serveProject, stopWorkers, test, type Site } from './fixtures.ts';

const APP = path.resolve('tests/browser/state-app');

/** fetch() from the page; returns status and parsed JSON (or text). */
async function api(page: Page, url: string, init: { method?: string; json?: unknown } = {}) {
	return page.evaluate(
		async ([u, i]) => {
			const res = await fetch(u, {
				method: i.method ?? (i.json === undefined ? 'GET' : 'POST'),
				headers: i.json === undefined ? {} : { 'content-type': 'application/json' },
				body: i.json === undefined ? undefined : JSON.stringify(i.json),
			});
			const text = await res.text();
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {}
			return { status: res.status, body: body as any };
		},
		[url, init] as const,
	);
}

async function openApp(page: Page, site: Site) {
	await page.goto(`${site.url}/`);
	await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
}

const app = test.extend<{}, { site: Site }>({
	site: [
		async ({}, use) => {
			const served = await serveProject(APP);
			await use(served.site);
			await served.close();
		},
		{ scope: 'worker' },
	],
});

app('signing in survives a worker stop and a reload; a session counter survives both', async ({ page, context, site }) => {
	await openApp(page, site);
	expect((await api(page, '/api/auth/sign-in', { json: { name: 'ada' } })).body).toEqual({ signedIn: 'ada' });
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 1 });

	await stopWorkers(context, page);
	const afterStop = (await api(page, '/api/auth/me')).body;
	expect(afterStop).toMatchObject({ user: { name: 'ada', since: '2026-01-01T00:00:00.000Z' }, auth: 'token-ada', theme: 'dark' });
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 2 });

	await page.reload();
	await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
	expect((await api(page, '/api/auth/me')).body).toMatchObject({ user: { name: 'ada' }, auth: 'token-ada' });
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 3 });

	await stopWorkers(context, page);
	await page.reload();
	await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 4 });

	await api(page, '/api/auth/sign-out', { method: 'POST' });
	expect((await api(page, '/api/auth/me')).body).toMatchObject({ user: null, auth: null, theme: null });
});

app('a cookie set by hand on a new Response reaches the next request', async ({ page, site }) => {
	await openApp(page, site);
	expect((await api(page, '/api/manual-cookie')).body).toBe('set by hand');
	expect((await api(page, '/api/cookies')).body).toMatchObject({ manual: 'yes' });
});

app('page-visible cookies show in document.cookie, HttpOnly ones do not; the page’s own cookies reach handlers', async ({ page, site }) => {
	await openApp(page, site);
	await api(page, '/api/auth/sign-in', { json: { name: 'grace' } });
	const documentCookie = await page.evaluate(() => document.cookie);
	expect(documentCookie).toContain('theme=dark');
	expect(documentCookie).not.toContain('auth=');
	expect(documentCookie).not.toContain('astro-session=');

	await page.evaluate(() => {
		document.cookie = 'from-page=hello; path=/';
	});
	const seen = (await api(page, '/api/cookies')).body;
	expect(seen.fromPage).toBe('hello');
	expect(seen.header).toContain('auth=token-grace');
	expect(seen.header).toContain('theme=dark');
});

app('fifty concurrent requests that each set a different session key leave all fifty keys', async ({ page, site }) => {
	await openApp(page, site);
	await api(page, '/api/keys?k=first', { method: 'POST' });
	await page.evaluate(() => Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`/api/keys?k=k${String(i).padStart(2, '0')}`, { method: 'POST' }))));
	const keys = (await api(page, '/api/keys')).body as string[];
	expect(keys).toEqual(['first', ...Array.from({ length: 50 }, (_, i) => `k${String(i).padStart(2, '0')}`)].sort());
});

app('two tabs share one jar and one session store', async ({ context, site }) => {
	const one = await context.newPage();
	const two = await context.newPage();
	await openApp(one, site);
	await openApp(two, site);
	await api(one, '/api/auth/sign-in', { json: { name: 'tab-one' } });
	expect((await api(two, '/api/auth/me')).body).toMatchObject({ user: { name: 'tab-one' }, auth: 'token-tab-one' });
	expect((await api(two, '/api/counter', { method: 'POST' })).body).toEqual({ count: 1 });
	expect((await api(one, '/api/counter', { method: 'POST' })).body).toEqual({ count: 2 });
});

app('setLocals() defaults reach middleware and endpoints, and survive a worker stop', async ({ page, context, site }) => {
	await openApp(page, site);
	await page.evaluate(() => (window as any).emulator.setLocals({ user: { name: 'lin', role: 'admin' } }));
	expect((await api(page, '/api/locals')).body).toEqual({ user: { name: 'lin', role: 'admin' }, middlewareSaw: { name: 'lin', role: 'admin' } });
	await stopWorkers(context, page);
	expect((await api(page, '/api/locals')).body).toMatchObject({ middlewareSaw: { name: 'lin', role: 'admin' } });
});

test.describe.serial('reset() isolates tests that share a page', () => {
	let browserContext: BrowserContext;
	let page: Page;
	let served: Awaited<ReturnType<typeof serveProject>>;

	test.beforeAll(async ({ browser }: { browser: Browser }) => {
		served = await serveProject(APP);
		browserContext = await browser.newContext();
		page = await browserContext.newPage();
		await openApp(page, served.site);
	});
	test.afterAll(async () => {
		await browserContext.close();
		await served.close();
	});

	test('the first test signs in, counts and sets locals', async () => {
		await api(page, '/api/auth/sign-in', { json: { name: 'first' } });
		await api(page, '/api/counter', { method: 'POST' });
		await page.evaluate(() => (window as any).emulator.setLocals({ user: 'first' }));
		expect((await api(page, '/api/auth/me')).body).toMatchObject({ user: { name: 'first' } });
	});

	test('after reset() the second test starts from nothing', async () => {
		await page.evaluate(() => (window as any).emulator.reset());
		expect((await api(page, '/api/auth/me')).body).toEqual({ user: null, auth: null, theme: null, cookieHeader: null });
		expect(await page.evaluate(() => document.cookie)).toBe('');
		expect((await api(page, '/api/locals')).body).toEqual({ middlewareSaw: null });
		expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 1 });
	});
});

app('a storage failure gives a 500 with a clear console error and leaves the stored data intact', async ({ page, context, site }) => {
	const logs: string[] = [];
	page.on('console', (m) => logs.push(m.text()));
	await openApp(page, site);
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 1 });
	const [worker] = context.serviceWorkers();
	worker.on('console', (m) => logs.push(m.text()));
	// Every IndexedDB write now fails as it does when the origin is over its quota.
	await worker.evaluate(() => {
		const g = globalThis as any;
		g.realPut = IDBObjectStore.prototype.put;
		IDBObjectStore.prototype.put = function () {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		};
	});
	const failed = await api(page, '/api/counter', { method: 'POST' });
	expect(failed.status).toBe(500);
	await expect.poll(() => logs.join('\n')).toContain('the session could not be saved');
	expect(logs.join('\n')).toContain('QuotaExceededError');
	await worker.evaluate(() => {
		IDBObjectStore.prototype.put = (globalThis as any).realPut;
	});
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 2 });
	await stopWorkers(context, page);
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 3 });
});
