// Faults that need Chromium's DevTools protocol (tests/engines/load.test.ts runs
// the load and worker-stop cases in all three engines): the worker stopped at a
// moment the test chooses (while session writes are committing), and a storage
// quota too small for the build's prerendered files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { api, expect, openApp, serveProject, stateApp as app, test } from './fixtures.ts';

/** Writes the `start` key again; resolves with the worker instance that answered (x-instance). */
function writerInstance(page: Page): Promise<string | null> {
	return page.evaluate(() => fetch('/api/load/write?k=start&v=0', { method: 'POST' }).then((res) => res.headers.get('x-instance')));
}

app('the worker stopped once session writes reached IndexedDB: each of 20 writes is answered and stored, or fails', async ({ page, context, site }) => {
	await openApp(page, site);
	expect((await api(page, '/api/load/write?k=start&v=0', { method: 'POST' })).status).toBe(200);
	const cdp = await context.newCDPSession(page);
	await cdp.send('ServiceWorker.enable');
	const tally = { answered: 0, failed: 0, byNewWorker: 0, putsAtStop: [] as number[] };
	for (let round = 0; round < 3; round++) {
		const [worker] = context.serviceWorkers().filter((w) => w.url().startsWith(site.url));
		// Counts the session writes that reached IndexedDB; the stop waits for the first of this round.
		await worker.evaluate(() => {
			const g = globalThis as any;
			g.sessionPuts = 0;
			g.realPut ??= IDBObjectStore.prototype.put;
			IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: any[]) {
				if (this.name === 'sessions') g.sessionPuts++;
				return g.realPut.apply(this, args);
			} as typeof IDBObjectStore.prototype.put;
		});
		const instanceBefore = await writerInstance(page);
		const writes = Array.from({ length: 20 }, (_, i) => ({ k: `r${round}-${String(i).padStart(2, '0')}`, v: `v${round}-${i}` }));
		await page.evaluate((list) => {
			(window as any).inFlight = list.map(({ k, v }) =>
				fetch(`/api/load/write?k=${k}&v=${v}`, { method: 'POST' }).then(
					async (res) => ({ k, v, status: res.status, instance: res.headers.get('x-instance'), body: await res.text().catch((e) => `body failed: ${e}`) }),
					(error) => ({ k, v, error: String(error) }),
				),
			);
		}, writes);
		await expect.poll(() => worker.evaluate(() => (globalThis as any).sessionPuts), { intervals: [0] }).toBeGreaterThan(0);
		// How far the writes had got (reported: the count may move on before the stop lands).
		tally.putsAtStop.push(await worker.evaluate(() => (globalThis as any).sessionPuts));
		await cdp.send('ServiceWorker.stopAllWorkers');
		const outcomes: Array<{ k: string; v: string; status?: number; instance?: string; body?: string; error?: string }> = await page.evaluate(() =>
			Promise.all((window as any).inFlight),
		);
		const stored = new Set((await api(page, '/api/load/write')).body as string[]);
		for (const o of outcomes) {
			if (o.error !== undefined) {
				tally.failed++;
				continue;
			}
			expect(o, `an answered write: ${JSON.stringify(o)}`).toMatchObject({ status: 200, body: JSON.stringify({ k: o.k, v: o.v }) });
			expect(stored.has(o.k), `${o.k} answered 200 but not stored`).toBe(true);
			tally.answered++;
			if (o.instance !== instanceBefore) tally.byNewWorker++;
		}
		expect(stored.has('start')).toBe(true);
		// The stop took effect: a new worker instance answers now.
		expect(await writerInstance(page)).not.toBe(instanceBefore);
	}
	await cdp.detach();
	console.log(
		`[faults] worker stopped after the first session write of each round (3 × 20): ${tally.answered} answered and stored (${tally.byNewWorker} of them by the worker started after the stop), ${tally.failed} failed; session writes begun at the stop: ${tally.putsAtStop.join(', ')}`,
	);
});

/** The service worker's JS heap in bytes after a full garbage collection (CDP on the worker's target). */
async function workerHeap(browser: Browser, scope: string): Promise<number> {
	const cdp = await browser.newBrowserCDPSession();
	try {
		const { targetInfos } = await cdp.send('Target.getTargets');
		const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(scope));
		if (!target) throw new Error(`no service worker target under ${scope}`);
		const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
		let next = 0;
		const replies = new Map<number, (result: any) => void>();
		cdp.on('Target.receivedMessageFromTarget', (event) => {
			const message = JSON.parse(event.message);
			replies.get(message.id)?.(message.result);
		});
		const send = (method: string) =>
			new Promise<any>((resolve) => {
				const id = ++next;
				replies.set(id, resolve);
				void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
			});
		await send('HeapProfiler.collectGarbage');
		return (await send('Runtime.getHeapUsage')).usedSize;
	} finally {
		await cdp.detach();
	}
}

app('1,000 requests in flight, five times over: all answered, and the worker heap does not grow with them', async ({ page, site, browser }) => {
	await openApp(page, site);
	const heaps: number[] = [];
	for (let round = 0; round < 5; round++) {
		const bad = await page.evaluate(async (n) => {
			const answers = await Promise.all(
				Array.from({ length: n }, async (_, i) => {
					const res = await fetch(`/api/load/write?k=k${i % 50}&v=${i}`, { method: 'POST' });
					return { i, status: res.status };
				}),
			);
			return answers.filter((a) => a.status !== 200);
		}, 1000);
		expect(bad).toEqual([]);
		heaps.push(await workerHeap(browser, site.url));
	}
	console.log(`[faults] worker heap after each round of 1,000 session writes in flight (bytes, after GC): ${heaps.join(', ')}`);
	// What a leak of even 1 KB per request would add over the last four rounds: 4 MB.
	expect(heaps[4]! - heaps[0]!).toBeLessThan(1_000_000);
});

/** A project with one on-demand endpoint, a session endpoint and 40 prerendered files of 100 kB each (4 MB). */
function bigProject() {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-quota-'));
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		fs.writeFileSync(path.join(root, file), text);
	};
	write('src/pages/api/word.ts', `export const GET = () => new Response('on demand');\n`);
	write(
		'src/pages/api/count.ts',
		`export const POST = async ({ session }) => {\n\tconst count = ((await session.get('count')) ?? 0) + 1;\n\tsession.set('count', count);\n\treturn Response.json({ count });\n};\n`,
	);
	write(
		'src/pages/files/[n].txt.ts',
		`export const prerender = true;\nexport const getStaticPaths = () => Array.from({ length: 40 }, (_, n) => ({ params: { n: String(n) } }));\nexport const GET = ({ params }) => new Response(params.n + ':' + 'x'.repeat(100_000));\n`,
	);
	write(
		'public/index.html',
		`<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>quota</title>
<script type="module">
import { startEmulator } from './sw-client.js';
window.emulator = await startEmulator({ url: './sw.js', scope: './' });
document.body.dataset.ready = 'true';
</script>`,
	);
	return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

// Chromium only: Storage.overrideQuotaForOrigin is CDP's. The prerendered files give way to the state:
// the fill stops at the quota, the files it cached are deleted, offlineReady() rejects with the reason,
// on-demand routes and prerendered files still answer online (from the network, not cached), a session
// write succeeds, and nothing is fetched again until the quota grows or a day passed (the worker cannot
// see CDP's quota override: the day is moved back in the stored refusal); then a later visit fills the cache.
test('a quota too small for the prerendered files: the site answers online, sessions keep the space, a later visit with more quota works offline', async ({
	page,
	context,
}) => {
	const project = bigProject();
	const served = await serveProject(project.root);
	try {
		const logs: string[] = [];
		page.on('console', (m) => logs.push(m.text()));
		// The worker's own fetches of prerendered files (Playwright reports a service worker's requests on the context).
		let fileFetches = 0;
		context.on('request', (r) => {
			if (r.serviceWorker() && new URL(r.url()).pathname.startsWith('/files/')) fileFetches++;
		});
		const cdp = await context.newCDPSession(page);
		await cdp.send('ServiceWorker.enable');
		// 1 MB for the whole origin (Cache Storage and IndexedDB), before the first visit.
		await cdp.send('Storage.overrideQuotaForOrigin', { origin: served.site.url, quotaSize: 1_000_000 });
		const visit = async () => {
			await page.goto(`${served.site.url}/`);
			await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
			return page.evaluate(() =>
				(window as any).emulator.offlineReady().then(
					() => ({ ok: true }),
					(error: Error) => ({ ok: false, name: error.name, message: error.message }),
				),
			);
		};
		const ready = await visit();
		console.log(`[faults] offlineReady() under a 1 MB quota: ${JSON.stringify(ready)}`);
		expect(ready).toMatchObject({ ok: false });
		expect((ready as { message: string }).message).toMatch(
			/the prerendered files \(40\) do not fit in this origin's storage quota .*\(Quota exceeded\): they are answered from the network/,
		);
		// The files the fill had cached were given back.
		const usage = await cdp.send('Storage.getUsageAndQuota', { origin: served.site.url });
		const cacheUsage = usage.usageBreakdown.find((u) => u.storageType === 'cache_storage')?.usage ?? 0;
		console.log(`[faults] usage after the refusal ${usage.usage} of quota ${usage.quota}: ${JSON.stringify(usage.usageBreakdown.filter((u) => u.usage > 0))}`);
		expect(cacheUsage).toBeLessThan(200_000);
		// Online, the site keeps answering: on-demand routes, and prerendered files from the network.
		expect(await api(page, '/api/word')).toEqual({ status: 200, body: 'on demand' });
		const files = await page.evaluate(() =>
			Promise.all(
				Array.from({ length: 40 }, (_, n) =>
					fetch(`/files/${n}.txt`).then(
						async (res) => ({ n, status: res.status, start: (await res.text()).split(':')[0] }),
						(error) => ({ n, error: String(error) }),
					),
				),
			),
		);
		expect(files).toEqual(Array.from({ length: 40 }, (_, n) => ({ n, status: 200, start: String(n) })));
		// Sessions keep the space: a write succeeds.
		expect(await api(page, '/api/count', { method: 'POST' })).toEqual({ status: 200, body: { count: 1 } });
		// Nothing is fetched again: not by later requests, nor by a new worker instance at the same quota.
		const fetchedBefore = fileFetches;
		for (let i = 0; i < 5; i++) expect((await api(page, '/api/word')).status).toBe(200);
		await cdp.send('ServiceWorker.stopAllWorkers');
		expect(await visit()).toMatchObject({ ok: false, message: expect.stringMatching(/do not fit in this origin's storage quota/) });
		expect(fileFetches - fetchedBefore, 'prerendered files the worker fetched again at the same quota').toBe(0);
		expect(await api(page, '/api/count', { method: 'POST' })).toEqual({ status: 200, body: { count: 2 } });
		// A later visit with room for the files caches them: offline then works.
		await cdp.send('Storage.overrideQuotaForOrigin', { origin: served.site.url, quotaSize: 100_000_000 });
		await page.evaluate(
			() =>
				new Promise((resolve, reject) => {
					const open = indexedDB.open('sw-endpoints');
					open.onsuccess = () => {
						const store = open.result.transaction('meta', 'readwrite').objectStore('meta');
						const get = store.get('precache-refused');
						get.onsuccess = () => {
							store.put({ ...get.result, at: get.result.at - 25 * 60 * 60 * 1000 }, 'precache-refused').onsuccess = () => {
								open.result.close();
								resolve(undefined);
							};
						};
					};
					open.onerror = () => reject(open.error);
				}),
		);
		await cdp.send('ServiceWorker.stopAllWorkers');
		expect(await visit()).toEqual({ ok: true });
		await context.setOffline(true);
		expect(await page.evaluate(() => fetch('/files/39.txt').then(async (r) => (await r.text()).slice(0, 3)))).toBe('39:');
		await context.setOffline(false);
		expect(await api(page, '/api/count', { method: 'POST' })).toEqual({ status: 200, body: { count: 3 } });
		await cdp.detach();
	} finally {
		await served.close();
		project.remove();
	}
});
