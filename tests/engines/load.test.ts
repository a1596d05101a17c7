// Load and faults in every engine: many tabs writing one session at once, a
// thousand requests in flight from one page, and the worker stopped while
// session writes are in flight. No timing is asserted: every test waits on
// answers and then checks what storage holds.
//
// What the implementation guarantees (sw/core/session.ts, sw/core/render.ts,
// sw/worker/idb-store.ts): a request's session writes are only the keys it set or
// deleted, merged over what is stored at the time of its write; the writes of one
// session run one at a time (per worker, and one worker serves every tab of the
// scope), and a response leaves only after its write committed. So concurrent
// writes of different keys all survive, and for one key the last writer wins by
// commit order: the final value is the one written last, which is one of the
// values written. Commit order is not the order in which the page sees answers
// (two answers may cross on the way back), so for concurrent writes the test asserts
// only "one of the written values"; a write sent after another was answered commits
// after it, so for writes acknowledged one after another the last acknowledged wins.
// Handlers' read-modify-write (get, then set) is not atomic: that is Astro's
// semantics on a server too, and not tested here.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, api, freshBrowser, openApp, serveProject } from './helpers.ts';
import type { EnginePage } from './index.mjs';

const APP = path.resolve('tests/browser/state-app');
let site: Awaited<ReturnType<typeof serveProject>>;
beforeAll(async () => {
	site = await serveProject(APP);
});
afterAll(() => site?.close());

/** Sends `writes` as concurrent POSTs from the page; resolves with each one's status and JSON body. */
function writeAll(page: EnginePage, writes: Array<{ k: string; v: string }>): Promise<Array<{ status: number; body: unknown }>> {
	return page.evaluate(
		(list: Array<{ k: string; v: string }>) =>
			Promise.all(
				list.map(async ({ k, v }) => {
					const res = await fetch(`/api/load/write?k=${encodeURIComponent(k)}&v=${encodeURIComponent(v)}`, { method: 'POST' });
					return { status: res.status, body: await res.json().catch(() => null) };
				}),
			),
		writes,
	);
}

/** Writes the `start` key again; resolves with the worker instance that answered (x-instance). */
function writerInstance(page: EnginePage): Promise<string> {
	return page.evaluate(() => fetch('/api/load/write?k=start&v=0', { method: 'POST' }).then((res) => res.headers.get('x-instance')));
}

describe.each(ENGINES)('%s', (engine) => {
	const ctx = freshBrowser(engine);

	it('3 tabs × 20 concurrent writes of one session key and of one key each: no key lost, the shared key holds a written value, and the last acknowledged write wins', async () => {
		const TABS = 3;
		const M = 20;
		const first = await openApp(ctx.browser, `${site.url}/`);
		// The session exists before the burst: concurrent first requests without a session
		// cookie would each start a session of their own (as on a server), and the cookie
		// set last would name only one of them.
		expect((await api(first, '/api/load/write?k=start&v=0', { method: 'POST' })).body).toEqual({ k: 'start', v: '0' });
		const tabs = [first];
		while (tabs.length < TABS) tabs.push(await openApp(ctx.browser, `${site.url}/`));

		const plans = tabs.map((_, t) =>
			Array.from({ length: M }, (_, i) => [
				{ k: 'shared', v: `t${t}-${i}` },
				{ k: `t${t}-${i}`, v: `own-${t}-${i}` },
			]).flat(),
		);
		const answers = await Promise.all(tabs.map((page, t) => writeAll(page, plans[t])));
		for (const [t, list] of answers.entries()) expect(list).toEqual(plans[t].map((w) => ({ status: 200, body: w })));

		const written = plans
			.flat()
			.filter((w) => w.k === 'shared')
			.map((w) => w.v);
		const keys = (await api(first, '/api/load/write')).body as string[];
		expect(keys).toEqual(
			[
				'shared',
				'start',
				...plans
					.flat()
					.filter((w) => w.k !== 'shared')
					.map((w) => w.k),
			].sort(),
		);
		for (const [t, page] of tabs.entries()) {
			for (let i = 0; i < M; i++) expect((await api(page, `/api/load/write?k=t${t}-${i}`)).body).toEqual({ k: `t${t}-${i}`, v: `own-${t}-${i}` });
		}
		const shared = await Promise.all(tabs.map(async (page) => (await api(page, '/api/load/write?k=shared')).body.v as string));
		expect(written).toContain(shared[0]);
		// Every tab sees the same value: one store, one worker.
		expect(new Set(shared).size).toBe(1);

		// Writes acknowledged one after another, from alternating tabs: each is what every tab then reads.
		for (let round = 0; round < 2; round++) {
			for (const [t, page] of tabs.entries()) {
				expect((await api(page, `/api/load/write?k=shared&v=seq-${round}-${t}`, { method: 'POST' })).status).toBe(200);
				for (const other of tabs) expect((await api(other, '/api/load/write?k=shared')).body).toEqual({ k: 'shared', v: `seq-${round}-${t}` });
			}
		}
	});

	it('1,000 requests in flight from one page are all answered 200 with their own bodies', async () => {
		const page = await openApp(ctx.browser, `${site.url}/`);
		const result: { bad: unknown[]; ms: number } = await page.evaluate(async (n: number) => {
			const start = performance.now();
			const answers = await Promise.all(
				Array.from({ length: n }, async (_, i) => {
					const res = await fetch(`/api/load/echo?i=${i}`);
					return { i, status: res.status, body: await res.json().catch(() => null) };
				}),
			);
			const ms = performance.now() - start;
			return { bad: answers.filter((a) => a.status !== 200 || a.body?.i !== a.i), ms };
		}, 1000);
		expect(result.bad).toEqual([]);
		// Reported, not asserted.
		console.log(`[load] ${ctx.browser.version}: 1000 concurrent requests answered in ${Math.round(result.ms)} ms`);
	});

	it('a tab holding the database open at an older version: requests get a 500 saying to close it (no deadlock), then work once it closed', async () => {
		// The old tab: a page of the origin that opened the worker's database at version 1 and ignores
		// `versionchange` (as a tab of an older release might), before the worker first opened it.
		const old = await ctx.browser.newPage();
		await old.goto(`${site.url}/api/load/echo?i=0`);
		expect(
			await old.evaluate(
				() =>
					new Promise((resolve, reject) => {
						const open = indexedDB.open('sw-endpoints', 1);
						open.onupgradeneeded = () => open.result.createObjectStore('sessions');
						open.onsuccess = () => resolve(((window as any).held = open.result).version);
						open.onerror = () => reject(open.error);
					}),
			),
		).toBe(1);
		const page = await openApp(ctx.browser, `${site.url}/`);
		const blocked = await page.evaluate(() =>
			fetch('/api/load/write?k=a&v=1', { method: 'POST' }).then(async (r) => ({ status: r.status, text: await r.text() })),
		);
		expect(blocked).toEqual({ status: 500, text: expect.stringContaining('another tab of this site holds it open; close the other tabs and reload') });
		// Every route request reads the cookie jar, so each fails fast the same way while the tab holds on.
		expect(await api(page, '/api/load/echo?i=1')).toMatchObject({ status: 500, body: expect.stringContaining('close the other tabs') });
		await old.evaluate(() => (window as any).held.close());
		// The upgrade completes once the browser has seen the close (Firefox: a moment later); until then requests still fail fast.
		await expect.poll(async () => (await api(page, '/api/load/write?k=a&v=2', { method: 'POST' })).status).toBe(200);
		expect((await api(page, '/api/load/write?k=a')).body).toEqual({ k: 'a', v: '2' });
	});

	// WebKitGTK's WebDriver offers no way to stop a service worker (no stopWorkers in tests/engines/webkit.mjs),
	// and closing every tab does not stop it at a moment the test chooses.
	it.skipIf(engine === 'webkit')(
		'the worker stopped while 20 session writes are in flight: each is answered and then stored, fails, or goes to the network unwritten; never answered and lost',
		async () => {
			const page = await openApp(ctx.browser, `${site.url}/`);
			expect((await api(page, '/api/load/write?k=start&v=0', { method: 'POST' })).status).toBe(200);
			const tally = { answered: 0, failed: 0, network: 0, byNewWorker: 0 };
			for (let round = 0; round < 3; round++) {
				const instanceBefore = await writerInstance(page);
				const writes = Array.from({ length: 20 }, (_, i) => ({ k: `r${round}-${String(i).padStart(2, '0')}`, v: `v${round}-${i}` }));
				await page.evaluate((list: Array<{ k: string; v: string }>) => {
					(window as any).inFlight = list.map(({ k, v }) =>
						fetch(`/api/load/write?k=${k}&v=${v}`, { method: 'POST' }).then(
							async (res) => ({ k, v, status: res.status, instance: res.headers.get('x-instance'), body: await res.text().catch((e) => `body failed: ${e}`) }),
							(error) => ({ k, v, error: String(error) }),
						),
					);
					return null;
				}, writes);
				await ctx.browser.stopWorkers!();
				const outcomes: Array<{ k: string; v: string; status?: number; instance?: string; body?: string; error?: string }> = await page.evaluate(() =>
					Promise.all((window as any).inFlight),
				);
				// A fresh worker (started by this request) reads what was stored.
				const stored = new Set((await api(page, '/api/load/write')).body as string[]);
				for (const o of outcomes) {
					if (o.error !== undefined) {
						tally.failed++;
						continue;
					}
					// Firefox may send a request whose worker it stopped to the network, as if no worker were there:
					// the static server answers it (405 for a POST), and nothing was written.
					if (o.instance === null && o.status !== 200) {
						expect(stored.has(o.k), `${o.k} answered by the network but stored`).toBe(false);
						tally.network++;
						continue;
					}
					// Answered by the worker: it must be the endpoint's answer, and its write must be there.
					expect(o, `an answered write: ${JSON.stringify(o)}`).toMatchObject({ status: 200, body: JSON.stringify({ k: o.k, v: o.v }) });
					expect(stored.has(o.k), `${o.k} answered 200 but not stored`).toBe(true);
					expect((await api(page, `/api/load/write?k=${o.k}`)).body).toEqual({ k: o.k, v: o.v });
					tally.answered++;
					if (o.instance !== instanceBefore) tally.byNewWorker++;
				}
				expect(stored.has('start')).toBe(true);
				// The stop took effect: a new worker instance answers now.
				expect(await writerInstance(page)).not.toBe(instanceBefore);
			}
			console.log(
				`[load] ${ctx.browser.version}: worker stopped under 3 × 20 session writes: ${tally.answered} answered and stored (${tally.byNewWorker} of them by the worker started after the stop), ${tally.failed} failed, ${tally.network} sent to the network`,
			);
		},
	);
});
