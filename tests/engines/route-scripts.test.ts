// A site with many endpoints, whose code the build puts in group scripts
// (build/worker-scripts.mjs, sw/worker/route-scripts.ts), in every engine: each
// group is cached after install and compiled on first use, also by a restarted worker;
// modules shared by endpoints and the middleware exist once; group code's
// responses keep their cookies; a throwing endpoint in a group gives a 500; and
// groups load from the cache, with the server gone.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, documentCookies, ENGINES, freshBrowser, openApp, serveProject } from './helpers.ts';
import { manyEndpointsProject } from './temp-project.ts';

const COUNT = 160;

describe.each(ENGINES)('%s', (engine) => {
	const ctx = freshBrowser(engine);
	let project: ReturnType<typeof manyEndpointsProject>;
	let site: Awaited<ReturnType<typeof serveProject>>;
	beforeAll(async () => {
		project = manyEndpointsProject(COUNT);
		site = await serveProject(project.root);
		// The premise: this build has group scripts (every endpoint but r5, which r4 imports).
		expect(fs.readdirSync(`${site.out}/sw-routes`).filter((f) => f.endsWith('.js')).length).toBe(Math.ceil((COUNT - 1) / 50));
	});
	let closed = false;
	afterAll(async () => {
		if (!closed) await site?.close();
		project?.remove();
	});

	it('endpoints in group scripts answer, share modules with each other and the middleware, keep cookies, and answer again after a worker restart', async () => {
		const page = await openApp(ctx.browser, `${site.url}/`);
		expect(await api(page, '/api/r0/a')).toEqual({ status: 200, body: { count: 1, name: 'shared-counter' } });
		// One counter module for both endpoints (it lives in sw.js), though they are in different groups.
		expect(await api(page, `/api/r${COUNT - 1}/a`)).toEqual({ status: 200, body: { count: 2, only: 'only-in-r1' } });
		expect(await documentCookies(page)).toMatchObject({ split: 'only-in-r1' });
		expect(await api(page, '/api/r3/a')).toEqual({ status: 200, body: { split: 'only-in-r1' } });
		expect(await api(page, '/api/r2/a')).toEqual({ status: 200, body: { mark: 'from-middleware', locals: 'from-middleware' } });
		expect(await api(page, '/api/r4/a')).toEqual({ status: 200, body: { fifth: 'r5-own-module' } });
		expect((await api(page, '/api/r6/a')).status).toBe(500);
		// Groups of 50 in table order: r51–r100 form the second, left alone until the server is gone.
		for (const n of [COUNT - 2, 20, 110]) expect(await api(page, `/api/r${n}/x`)).toEqual({ status: 200, body: { id: 'x', r: n } });
		if (ctx.browser.stopWorkers) {
			await ctx.browser.stopWorkers();
			expect(await api(page, `/api/r${COUNT - 3}/y`)).toEqual({ status: 200, body: { id: 'y', r: COUNT - 3 } });
			expect(await api(page, `/api/r${COUNT - 1}/b`)).toEqual({ status: 200, body: { count: 1, only: 'only-in-r1' } });
			expect(await api(page, '/api/r3/b')).toEqual({ status: 200, body: { split: 'only-in-r1' } });
		}
		// Offline: a group no request has reached yet comes from the cache, once offlineReady() says it is filled.
		await page.evaluate(() => (window as any).emulator.offlineReady().then(() => null));
		await site.close();
		closed = true;
		for (const n of [60, 75]) expect(await api(page, `/api/r${n}/z`)).toEqual({ status: 200, body: { id: 'z', r: n } });
	});
});
