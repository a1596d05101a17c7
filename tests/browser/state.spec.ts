// State that survives the worker, where it takes Playwright's Chromium: a stop and
// a reload in one session, and a storage failure injected inside the worker. The
// cookie, session, tab and reset() cases run in all three engines
// (tests/engines/state.test.ts).
import { api, expect, openApp, stateApp as app, stopWorkers } from './fixtures.ts';

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

app('setLocals() defaults reach middleware and endpoints, and survive a worker stop', async ({ page, context, site }) => {
	await openApp(page, site);
	await page.evaluate(() => (window as any).emulator.setLocals({ user: { name: 'lin', role: 'admin' } }));
	expect((await api(page, '/api/locals')).body).toEqual({ user: { name: 'lin', role: 'admin' }, middlewareSaw: { name: 'lin', role: 'admin' } });
	await stopWorkers(context, page);
	expect((await api(page, '/api/locals')).body).toMatchObject({ middlewareSaw: { name: 'lin', role: 'admin' } });
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

app('storage cleared under an open page: the next requests start clean, and nothing cleared is sent or written back', async ({ page, context, site }) => {
	await openApp(page, site);
	await api(page, '/api/auth/sign-in', { json: { name: 'ada' } });
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 1 });
	expect((await api(page, '/api/auth/me')).body).toMatchObject({ user: { name: 'ada' }, auth: 'token-ada' });

	const cdp = await context.newCDPSession(page);
	await cdp.send('Storage.clearDataForOrigin', { origin: site.url, storageTypes: 'indexeddb' });
	await cdp.detach();

	// The HttpOnly cookie and the session lived in IndexedDB only; `theme` is a real cookie of the page too, so it stays.
	expect((await api(page, '/api/auth/me')).body).toMatchObject({ user: null, auth: null, theme: 'dark' });
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 1 });
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 2 });
	expect((await api(page, '/api/auth/me')).body).toMatchObject({ user: null, auth: null });
	await stopWorkers(context, page);
	expect((await api(page, '/api/auth/me')).body).toMatchObject({ user: null, auth: null });
	expect((await api(page, '/api/counter', { method: 'POST' })).body).toEqual({ count: 3 });
});
