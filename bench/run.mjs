#!/usr/bin/env node
// Benchmark (not a test): how much slower is a page's fetch() answered by an
// sw-endpoints worker than by a hand-written trivial worker, measured in one run
// of headless Chromium on the same machine.
//
//   npm run bench            (node bench/run.mjs)
//
// Scenarios, each a static site in its own temp dir, on its own port, loaded in a
// fresh browser context: `bare` (the floor: a 10-line worker), `get` (one GET
// endpoint), `post` (2 KB JSON echoed), `session` (reads and writes the Astro
// session each request), `routes1000` (the last of 1000 dynamic routes). For each: sequential latency p50/p95, throughput with 50 requests in
// flight, and the first request after the browser stopped the worker. Rounds are
// interleaved (bare, get, post, session, routes1000, bare, ...) because the machine is
// shared and noisy; medians across rounds are reported, each as a ratio to `bare`.
// The last line is `BENCH_JSON {...}` for tools.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { build } from '../build.mjs';
import { launchOptions } from '../scripts/chromium.mjs';
import { serveStatic } from '../scripts/static-server.mjs';

const ROUNDS = 3;
const WARMUP = 200;
const SEQUENTIAL = 2000;
const POOLED_TOTAL = 2000;
const POOL_SIZE = 50;
const COLD_REPEATS = 15;
/** Pause after the worker is reported stopped, so the browser has finished tearing it down. */
const COLD_SETTLE_MS = 100;
/** Upper bound for any single wait (page load, worker control, worker stop, one fetch). */
const WAIT_MS = 30_000;
/** Upper bound for one in-page measurement batch (2000 fetches on a slow, shared machine). */
const BATCH_WAIT_MS = 120_000;
const ROUTE_COUNT = 1000;

/** Targets printed next to the ratios (scenario / bare, medians of the same run). */
const TARGETS = { p50: 1.1, throughput: 0.9, cold: 1.3, getGzipBytes: 10 * 1024 };

/** A failed correctness check: the scenario's numbers would mean nothing. */
class CorrectnessError extends Error {
	name = 'CorrectnessError';
}

/** Rejects with a clear message when `promise` does not settle within `ms`. */
function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves after `ms` milliseconds. */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 5 ms until it is true, failing after `ms` with a clear message. */
async function waitUntil(condition, ms, what) {
	const deadline = performance.now() + ms;
	while (!condition()) {
		if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		await sleep(5);
	}
}

/** The q-quantile (0..1) of numbers, by nearest rank on a sorted copy. */
function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The median of numbers (the mean of the middle two for an even count). */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Writes `files` ({ relative path: text }) under `dir`, creating folders. */
function writeFiles(dir, files) {
	for (const [name, text] of Object.entries(files)) {
		const file = path.join(dir, name);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, text);
	}
}

/** A fixed JSON text of exactly 2048 bytes whose parse + stringify round-trips to itself, so the echo is checkable. */
function twoKilobyteJson() {
	const data = {
		id: 'bench',
		items: Array.from({ length: 24 }, (_, i) => ({ i, name: `item-${i}`, tags: ['a', 'b'], ok: i % 2 === 0 })),
		pad: '',
	};
	const bare = JSON.stringify(data).length;
	if (bare > 2048) throw new Error(`2 KB body template is already ${bare} bytes`);
	data.pad = 'x'.repeat(2048 - bare);
	const text = JSON.stringify(data);
	if (Buffer.byteLength(text) !== 2048) throw new Error(`2 KB body is ${Buffer.byteLength(text)} bytes`);
	return text;
}

/** The floor: a hand-written worker that answers /api/* with a constant JSON body and nothing else. */
const BARE_WORKER = `
self.addEventListener('install', () => { self.skipWaiting(); });
self.addEventListener('activate', (event) => { event.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', (event) => {
	if (new URL(event.request.url).pathname.startsWith('/api/')) {
		event.respondWith(new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } }));
	}
});
`;

/** The bare page: registers /sw.js and flags readiness once the worker controls the page (first load included). */
const BARE_PAGE = `<!doctype html>
<meta charset="utf-8"><title>bench: bare</title>
<script type="module">
try {
	const sw = navigator.serviceWorker;
	// Listen before registering so a claim that lands early is not missed.
	const controlled = sw.controller ? Promise.resolve() : new Promise((resolve) => sw.addEventListener('controllerchange', resolve, { once: true }));
	await sw.register('/sw.js', { scope: '/' });
	await controlled;
	window.ready = true;
} catch (error) {
	window.startError = String(error?.stack ?? error);
}
</script>
`;

/** The sw-endpoints page: starts the emulator from the built client and flags readiness (or the start-up error). */
const ENDPOINTS_PAGE = `<!doctype html>
<meta charset="utf-8"><title>bench: sw-endpoints</title>
<script type="module">
try {
	const { startEmulator } = await import('./sw-client.js');
	window.emulator = await startEmulator({ url: '/sw.js', scope: '/' });
	window.ready = true;
} catch (error) {
	window.startError = String(error?.stack ?? error);
}
</script>
`;

/** Writes the bare site into `dir` and returns what to serve. */
function createBareSite(dir) {
	writeFiles(dir, { 'index.html': BARE_PAGE, 'sw.js': BARE_WORKER });
	return { serveRoot: dir };
}

/** Writes an sw-endpoints project (`pages` under src/pages) into `dir`, builds it, and returns what to serve plus the worker's size and build time. */
async function createEndpointSite(dir, pages) {
	const files = { 'public/index.html': ENDPOINTS_PAGE };
	for (const [name, text] of Object.entries(pages)) files[path.join('src/pages', name)] = text;
	writeFiles(dir, files);
	// Build time is wall time around build() (scan + bundle + write), as a user would see it.
	const started = performance.now();
	const result = await build({ root: dir, logger: null });
	const buildMs = performance.now() - started;
	const sw = fs.readFileSync(path.join(result.out, 'sw.js'));
	return { serveRoot: result.out, buildMs, sw: { bytes: sw.length, gzip: gzipSync(sw).length } };
}

/** Creates every scenario's site under `tmp` (building the sw-endpoints ones) and returns the scenario list, bare first. */
async function prepareScenarios(tmp) {
	const body = twoKilobyteJson();
	const routePages = {};
	for (let n = 0; n < ROUTE_COUNT; n++) {
		routePages[`api/r${n}/[id].ts`] = `export const GET = ({ params }) => Response.json({ id: params.id, r: ${n} });\n`;
	}
	const get = { method: 'GET' };
	return [
		{ name: 'bare', path: '/api/hello', init: get, expected: '{"ok":true}', site: createBareSite(path.join(tmp, 'bare')) },
		{
			name: 'get',
			path: '/api/hello',
			init: get,
			expected: '{"ok":true}',
			site: await createEndpointSite(path.join(tmp, 'get'), { 'api/hello.ts': 'export const GET = () => Response.json({ ok: true });\n' }),
		},
		{
			name: 'post',
			path: '/api/echo',
			init: { method: 'POST', headers: { 'content-type': 'application/json' }, body },
			expected: body,
			site: await createEndpointSite(path.join(tmp, 'post'), {
				'api/echo.ts': 'export const POST = async ({ request }) => {\n\tconst data = await request.json();\n\treturn Response.json(data);\n};\n',
			}),
		},
		{
			// Reads and writes the Astro session on every request (IndexedDB, cookie jar); issue targets: p50 ≤ 1.25×, cold ≤ 1.5×.
			name: 'session',
			path: '/api/visit',
			init: get,
			expected: '{"ok":true}',
			targets: { ...TARGETS, p50: 1.25, cold: 1.5 },
			site: await createEndpointSite(path.join(tmp, 'session'), {
				'api/visit.ts':
					"export const GET = async ({ session }) => {\n\tsession.set('visits', ((await session.get('visits')) ?? 0) + 1);\n\treturn Response.json({ ok: true });\n};\n",
			}),
		},
		{
			name: 'routes1000',
			path: `/api/r${ROUTE_COUNT - 1}/42`,
			init: get,
			expected: JSON.stringify({ id: '42', r: ROUTE_COUNT - 1 }),
			site: await createEndpointSite(path.join(tmp, 'routes1000'), routePages),
		},
	];
}

// ---- In-page functions: passed to page.evaluate, so each must be self-contained.
// Every fetch reads the whole body and is checked (status 200, exact body), in
// every scenario alike, so a broken worker cannot produce a fast number and the
// check costs the same everywhere.

/** In the page: `count` sequential fetches, returning each latency (fetch start → body read) and the number of wrong answers. */
async function pageSequential({ path, init, expected, count }) {
	const latencies = new Array(count);
	let wrong = 0;
	for (let i = 0; i < count; i++) {
		const start = performance.now();
		const response = await fetch(path, init);
		const text = await response.text();
		latencies[i] = performance.now() - start;
		if (response.status !== 200 || text !== expected) wrong++;
	}
	return { latencies, wrong };
}

/** In the page: `total` fetches with `poolSize` in flight (a pool of async loops), returning the elapsed ms and wrong answers. */
async function pagePooled({ path, init, expected, total, poolSize }) {
	let issued = 0;
	let wrong = 0;
	async function loop() {
		while (issued < total) {
			issued++;
			const response = await fetch(path, init);
			const text = await response.text();
			if (response.status !== 200 || text !== expected) wrong++;
		}
	}
	const start = performance.now();
	await Promise.all(Array.from({ length: poolSize }, loop));
	return { ms: performance.now() - start, wrong };
}

/** In the page: one timed fetch (status, body and latency), also used for the correctness check. */
async function pageOnce({ path, init, expected }) {
	const start = performance.now();
	const response = await fetch(path, init);
	const text = await response.text();
	const ms = performance.now() - start;
	return { ms, status: response.status, type: response.headers.get('content-type'), ok: response.status === 200 && text === expected, text: text.slice(0, 200) };
}

// ---- Driving one page.

/**
 * Loads `url` with COOP/COEP added to the document only: a cross-origin-isolated
 * page gets 5 µs performance.now() instead of Chromium's 100 µs, which would
 * quantize sub-millisecond latencies too coarsely to compare against a 1.10× target.
 * The route is removed once loaded, so no interception runs during measurement.
 */
async function openIsolated(page, url) {
	const isDocument = (u) => u.href === url;
	const addIsolation = async (route) => {
		const response = await route.fetch();
		await route.fulfill({
			response,
			headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
		});
	};
	await page.route(isDocument, addIsolation);
	try {
		await page.goto(url, { timeout: WAIT_MS });
	} finally {
		await page.unroute(isDocument, addIsolation);
	}
}

/** Waits until the page's worker controls it (window.ready), surfacing the page's own start-up error if any. */
async function waitReady(page, scenario) {
	await page.waitForFunction(() => window.ready === true || window.startError !== undefined, null, { timeout: WAIT_MS }).catch((error) => {
		throw new Error(`${scenario.name}: the worker did not take control of the page within ${WAIT_MS} ms (${error.message.split('\n')[0]})`);
	});
	const startError = await page.evaluate(() => window.startError);
	if (startError) throw new CorrectnessError(`${scenario.name}: the page could not start its worker: ${startError}`);
}

/** Checks one request end to end: status 200, exact body, JSON content type, and (seen by Playwright) answered by the service worker. */
async function verify(page, scenario) {
	const [response, inPage] = await Promise.all([
		page.waitForResponse((r) => new URL(r.url()).pathname === scenario.path, { timeout: WAIT_MS }),
		withTimeout(page.evaluate(pageOnce, scenario), WAIT_MS, `${scenario.name}: the correctness request`),
	]);
	const problems = [];
	if (!response.fromServiceWorker()) problems.push('the response did not come from the service worker');
	if (response.status() !== 200 || inPage.status !== 200) problems.push(`status ${inPage.status} (Playwright saw ${response.status()})`);
	if (!inPage.ok) problems.push(`unexpected body ${JSON.stringify(inPage.text)}`);
	if (!inPage.type?.includes('application/json')) problems.push(`content-type ${inPage.type}`);
	if (problems.length) throw new CorrectnessError(`${scenario.name}: ${scenario.init.method} ${scenario.path}: ${problems.join('; ')}`);
}

/**
 * Times the first request after the browser stopped the worker, COLD_REPEATS times.
 * Waits for the CDP-reported running status to be `stopped` (rather than trusting
 * a fixed sleep) so each sample really includes starting the worker.
 */
async function measureCold(context, page, scenario) {
	const cdp = await context.newCDPSession(page);
	/** @type {Map<string, string>} versionId → runningStatus, from the browser's own events */
	const versions = new Map();
	cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => {
		for (const v of updated) {
			if (v.status === 'redundant') versions.delete(v.versionId);
			else versions.set(v.versionId, v.runningStatus);
		}
	});
	try {
		await withTimeout(cdp.send('ServiceWorker.enable'), WAIT_MS, 'ServiceWorker.enable');
		await waitUntil(() => versions.size > 0, WAIT_MS, `${scenario.name}: CDP to report the worker`);
		const samples = [];
		for (let i = 0; i < COLD_REPEATS; i++) {
			await withTimeout(cdp.send('ServiceWorker.stopAllWorkers'), WAIT_MS, 'ServiceWorker.stopAllWorkers');
			await waitUntil(() => [...versions.values()].every((s) => s === 'stopped'), WAIT_MS, `${scenario.name}: the worker to stop`);
			await sleep(COLD_SETTLE_MS);
			const once = await withTimeout(page.evaluate(pageOnce, scenario), WAIT_MS, `${scenario.name}: a cold request`);
			if (!once.ok) throw new CorrectnessError(`${scenario.name}: cold request answered ${once.status} ${JSON.stringify(once.text)}`);
			samples.push(once.ms);
		}
		return samples;
	} finally {
		await cdp.detach().catch(() => {});
	}
}

/**
 * Loads the bare site once and runs a batch of requests, discarding the numbers:
 * right after launch (and the builds) Chromium and the machine are still busy, which
 * otherwise makes round 1's first scenario (bare) slow and skews its ratios.
 */
async function settle(browser, scenario, url) {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		await openIsolated(page, url);
		await waitReady(page, scenario);
		await withTimeout(page.evaluate(pageSequential, { ...scenario, count: SEQUENTIAL }), BATCH_WAIT_MS, 'the settling batch');
	} finally {
		await context.close().catch(() => {});
	}
}

/** Runs every measurement of one scenario in a fresh browser context (its own registration), returning the raw numbers. */
async function measureScenario(browser, scenario, url) {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		page.on('pageerror', (error) => console.error(`[${scenario.name}] page error: ${error.message}`));
		await openIsolated(page, url);
		await waitReady(page, scenario);
		const isolated = await page.evaluate(() => self.crossOriginIsolated);
		await verify(page, scenario);

		// Warm-up first: JIT, the worker's lazy module init and the browser's IPC paths settle before timing.
		const warm = await withTimeout(page.evaluate(pageSequential, { ...scenario, count: WARMUP }), BATCH_WAIT_MS, `${scenario.name}: warm-up`);
		// Sequential, one at a time, measures per-request latency without queueing effects.
		const seq = await withTimeout(page.evaluate(pageSequential, { ...scenario, count: SEQUENTIAL }), BATCH_WAIT_MS, `${scenario.name}: sequential fetches`);
		// A pool of 50 keeps the worker busy, so it measures capacity (requests/s), not latency.
		const pooled = await withTimeout(
			page.evaluate(pagePooled, { ...scenario, total: POOLED_TOTAL, poolSize: POOL_SIZE }),
			BATCH_WAIT_MS,
			`${scenario.name}: pooled fetches`,
		);
		const wrong = warm.wrong + seq.wrong + pooled.wrong;
		if (wrong) throw new CorrectnessError(`${scenario.name}: ${wrong} of ${WARMUP + SEQUENTIAL + POOLED_TOTAL} measured requests got a wrong answer`);

		const cold = await measureCold(context, page, scenario);
		return {
			isolated,
			p50: quantile(seq.latencies, 0.5),
			p95: quantile(seq.latencies, 0.95),
			throughput: (POOLED_TOTAL / pooled.ms) * 1000,
			cold: median(cold),
			coldSamples: cold,
		};
	} finally {
		await context.close().catch(() => {});
	}
}

// ---- Report.

const METRICS = /** @type {const} */ (['p50', 'p95', 'throughput', 'cold']);

/** Formats one metric value for the table. */
function fmt(metric, value) {
	if (value === undefined || Number.isNaN(value)) return 'n/a';
	return metric === 'throughput' ? `${Math.round(value)}/s` : `${value.toFixed(3)} ms`;
}

/** Formats a ratio, with its target verdict (✓ / ✗) for the metrics that have a target. */
function fmtRatio(metric, ratio, targets = TARGETS) {
	if (ratio === undefined || Number.isNaN(ratio)) return 'n/a';
	const text = `${ratio.toFixed(2)}×`;
	if (metric === 'p50') return `${text} ${ratio <= targets.p50 ? '✓' : '✗'} (≤${targets.p50.toFixed(2)})`;
	if (metric === 'throughput') return `${text} ${ratio >= targets.throughput ? '✓' : '✗'} (≥${targets.throughput.toFixed(2)})`;
	if (metric === 'cold') return `${text} ${ratio <= targets.cold ? '✓' : '✗'} (≤${targets.cold.toFixed(2)})`;
	return text;
}

/** Prints rows of cells as a left-aligned text table. */
function printTable(header, rows) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
	console.log(line(header));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const row of rows) console.log(line(row));
}

/** Prints the per-round and median tables and the sizes, and returns the JSON summary. */
function report(scenarios, results, failures, meta) {
	const summary = { ...meta, targets: TARGETS, scenarios: {}, sizes: {} };

	console.log(`\nPer round (ratio to bare of the same round in brackets)`);
	const roundRows = [];
	for (let round = 0; round < ROUNDS; round++) {
		for (const s of scenarios) {
			const r = results[s.name][round];
			const bare = results.bare[round];
			if (!r) continue;
			const cell = (m) => `${fmt(m, r[m])}${bare && s.name !== 'bare' ? ` [${(r[m] / bare[m]).toFixed(2)}]` : ''}`;
			roundRows.push([round + 1, s.name, ...METRICS.map(cell)]);
		}
	}
	printTable(['round', 'scenario', 'p50', 'p95', 'throughput', 'cold 1st req'], roundRows);

	console.log(`\nMedian of ${ROUNDS} rounds, ratio = scenario / bare (targets: p50 ≤ ${TARGETS.p50}×, throughput ≥ ${TARGETS.throughput}×, cold ≤ ${TARGETS.cold}×)`);
	const medians = {};
	for (const s of scenarios) {
		const rounds = results[s.name];
		medians[s.name] = rounds.length ? Object.fromEntries(METRICS.map((m) => [m, median(rounds.map((r) => r[m]))])) : undefined;
	}
	const rows = [];
	for (const s of scenarios) {
		const med = medians[s.name];
		const bare = medians.bare;
		const ratio = med && bare && s.name !== 'bare' ? Object.fromEntries(METRICS.map((m) => [m, med[m] / bare[m]])) : undefined;
		const targets = s.targets ?? TARGETS;
		const pass = ratio ? { p50: ratio.p50 <= targets.p50, throughput: ratio.throughput >= targets.throughput, cold: ratio.cold <= targets.cold } : undefined;
		summary.scenarios[s.name] = {
			request: `${s.init.method} ${s.path}`,
			failed: failures.get(s.name),
			rounds: results[s.name],
			median: med,
			ratio,
			pass,
		};
		if (!med) {
			rows.push([s.name, 'FAILED (correctness, see below)', '', '', '']);
			continue;
		}
		const cells = METRICS.map((m) => (s.name === 'bare' ? fmt(m, med[m]) : `${fmt(m, med[m])}  ${fmtRatio(m, ratio?.[m], targets)}`));
		rows.push([s.name, ...cells]);
	}
	printTable(['scenario', 'p50', 'p95', `throughput (${POOL_SIZE} in flight)`, `cold 1st req (median of ${COLD_REPEATS})`], rows);
	for (const [name, message] of failures) console.log(`  ${name} FAILED: ${message}`);

	// The floor's own round-to-round spread says how far the ratios can be trusted on this machine.
	const bareRounds = results.bare ?? [];
	if (bareRounds.length > 1) {
		summary.bareSpread = {};
		const parts = METRICS.map((m) => {
			const values = bareRounds.map((r) => r[m]);
			const spread = (Math.max(...values) - Math.min(...values)) / median(values);
			summary.bareSpread[m] = spread;
			return `${m} ±${((spread / 2) * 100).toFixed(0)}%`;
		});
		console.log(`\nNoise: bare's own spread across rounds (half of max-min, over the median): ${parts.join(', ')}`);
		console.log('A ratio closer to its target than this spread is not conclusive.');
	}

	console.log('\nWorker size (sw.js, gzip level 6)');
	for (const s of scenarios) {
		if (!s.site.sw) continue;
		const { bytes, gzip } = s.site.sw;
		summary.sizes[s.name] = { bytes, gzip, buildMs: Math.round(s.site.buildMs) };
		const target = s.name === 'get' ? `  ${gzip < TARGETS.getGzipBytes ? '✓' : '✗'} (target < ${TARGETS.getGzipBytes / 1024} KB gzip)` : '';
		console.log(`  ${s.name.padEnd(11)} ${(bytes / 1024).toFixed(1).padStart(6)} KB  ${(gzip / 1024).toFixed(2).padStart(6)} KB gzip  built in ${Math.round(s.site.buildMs)} ms${target}`);
	}
	return summary;
}

// ---- Main.

/** Builds the sites, runs ROUNDS interleaved rounds, prints the report; cleans up whatever happens. */
async function main() {
	const started = performance.now();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-bench-'));
	/** @type {Array<{ url: string, close(): Promise<void> }>} */
	const servers = [];
	/** @type {import('playwright').Browser | undefined} */
	let browser;
	let interrupted = false;
	// Ctrl-C closes the browser, which makes the pending step fail and the finally below clean up.
	const interrupt = () => {
		console.error('\n[bench] interrupted; cleaning up');
		interrupted = true;
		process.exitCode = 130;
		void browser?.close();
	};
	process.once('SIGINT', interrupt);
	process.once('SIGTERM', interrupt);
	try {
		console.log('[bench] building sites…');
		const scenarios = await prepareScenarios(tmp);
		const urls = {};
		for (const s of scenarios) {
			const server = await serveStatic({ root: s.site.serveRoot, port: 0 });
			servers.push(server);
			urls[s.name] = `${server.url}/`;
		}
		if (interrupted) return;
		browser = await chromium.launch(launchOptions());
		const chromiumVersion = browser.version();
		console.log(`[bench] Chromium ${chromiumVersion}, Node ${process.version}, ${os.cpus().length} CPUs; ${ROUNDS} rounds × ${scenarios.length} scenarios`);

		/** @type {Record<string, any[]>} */
		const results = Object.fromEntries(scenarios.map((s) => [s.name, []]));
		/** @type {Map<string, string>} */
		const failures = new Map();
		let notIsolated = false;
		await settle(browser, scenarios[0], urls[scenarios[0].name]);
		for (let round = 0; round < ROUNDS; round++) {
			for (const s of scenarios) {
				if (failures.has(s.name)) continue;
				const t0 = performance.now();
				try {
					const r = await measureScenario(browser, s, urls[s.name]);
					notIsolated ||= !r.isolated;
					results[s.name].push(r);
					console.log(`[bench] round ${round + 1} ${s.name.padEnd(10)} p50 ${fmt('p50', r.p50)}  ${fmt('throughput', r.throughput)}  cold ${fmt('cold', r.cold)}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
				} catch (error) {
					if (!(error instanceof CorrectnessError)) throw error;
					// A wrong answer disqualifies the scenario for the whole run: keep measuring the others.
					failures.set(s.name, error.message);
					console.error(`[bench] CORRECTNESS FAILURE ${error.message}`);
				}
			}
		}
		if (notIsolated) console.warn('[bench] warning: a page was not cross-origin isolated; latencies are quantized to 100 µs');

		const totalMs = performance.now() - started;
		const summary = report(scenarios, results, failures, {
			chromium: chromiumVersion,
			node: process.version,
			cpus: os.cpus().length,
			rounds: ROUNDS,
			settings: { warmup: WARMUP, sequential: SEQUENTIAL, pooledTotal: POOLED_TOTAL, poolSize: POOL_SIZE, coldRepeats: COLD_REPEATS, coldSettleMs: COLD_SETTLE_MS },
			timerResolution: notIsolated ? '100us' : '5us',
			totalMs: Math.round(totalMs),
		});
		console.log(`\nTotal run time ${(totalMs / 1000).toFixed(1)} s`);
		console.log(`BENCH_JSON ${JSON.stringify(summary)}`);
		if (failures.size) {
			console.error(`[bench] ${failures.size} scenario(s) failed their correctness check: ${[...failures.keys()].join(', ')}`);
			process.exitCode = 1;
		}
	} finally {
		process.off('SIGINT', interrupt);
		process.off('SIGTERM', interrupt);
		await browser?.close().catch(() => {});
		await Promise.all(servers.map((s) => s.close().catch(() => {})));
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((error) => {
	// After Ctrl-C the pending step fails because the browser was closed: that is no news.
	if (process.exitCode === 130) return;
	console.error(`[bench] failed: ${error?.stack ?? error}`);
	process.exitCode = process.exitCode || 1;
});
