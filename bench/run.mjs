#!/usr/bin/env node
// Benchmark (not a test): how much slower is a page's fetch() answered by an
// sw-endpoints worker than by a hand-written trivial worker, measured in one run
// of headless Chromium on the same machine.
//
//   npm run bench            (node bench/run.mjs)
//
// Scenarios, each a static site in its own temp dir, on its own port, loaded in a
// fresh browser context: `bare` (the floor: a short hand-written worker), `get` (one GET
// endpoint), `post` (2 KB JSON echoed), `session` (reads and writes the Astro
// session each request), `routes1000` (the last of 1000 dynamic routes), and for
// context the same requests to Hono 4 in a worker (`hono-get`, `hono-post`, `hono-1000`). For each: sequential latency p50/p95, throughput with 50 requests in
// flight, and the first request after the browser stopped the worker. Rounds are
// interleaved (bare, bare-post, bare-state, get, post, session, routes1000, ...) because the machine is
// shared and noisy; medians across rounds are reported, each as a ratio to its floor:
// `bare-post` (the bare worker echoing the same body) for the POST rows, `bare` for the
// others; `session` also against `bare-state` (the bare worker committing a count to
// IndexedDB before it answers), the floor for state that outlives the worker.
//
// Then a site of 1000 endpoints, `mixed1000` (500 on demand, 500 prerendered with
// 10 paths each, so 5000 files the worker precaches at install):
//   - build time: build() into a fresh out dir BUILD_REPEATS times (median), the
//     number of prerendered files emitted, and one `node build.mjs --root <dir>`;
//   - start-up on a first visit (fresh context): from the page calling
//     register (startEmulator) to its first answered request, against `bare`
//     measured the same way and against `ondemand1000` (1000 on-demand routes,
//     nothing prerendered), so the cost of routes and of precaching can be told apart;
//   - the first request after the browser stopped the worker, for an on-demand
//     path and a prerendered one (answered from Cache Storage).
// Those repeats are interleaved too (bare, ondemand1000, mixed1000, bare, ...).
// Then, with Chromium closed, bench/engines.mjs on the same served sites: p50 and
// throughput of bare, get, post, session and routes1000 in Firefox (firefox-esr)
// and WebKit (WebKitGTK), interleaved rounds of fresh browsers, as ratios to bare
// of the same engine (goal there: p50 ≤ 1.25×, throughput ≥ 0.8×; `engines` below;
// `node bench/engines.mjs` runs it alone, SW_ENGINES narrows it).
// Last, bench/vitest/run.mjs: setupEmulator against MSW's
// setupServer in Vitest, and the cost of the reset after each test (`vitest` below).
// Then bench/vite.mjs: what the Vite plugin adds to `vite build`, and an endpoint
// edit under `vite` dev against a plain module's (`vite` below).
// The last line is `BENCH_JSON {...}` for tools.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import * as esbuild from 'esbuild';
import { build } from '../build.mjs';
import { launchOptions } from '../scripts/browsers.mjs';
import { serveStatic } from '../testing/static-server.mjs';
import { reportVitestBench, runVitestBench } from './vitest/run.mjs';
import { reportViteBench, runViteBench } from './vite.mjs';
import { median, printTable } from './stats.mjs';

export const ROUNDS = 3;
const WARMUP = 200;
const SEQUENTIAL = 2000;
const POOLED_TOTAL = 2000;
export const POOL_SIZE = 50;
const COLD_REPEATS = 15;
/** Pause after the worker is reported stopped, so the browser has finished tearing it down. */
const COLD_SETTLE_MS = 100;
/** Upper bound for any single wait (page load, worker control, worker stop, one fetch). */
export const WAIT_MS = 30_000;
/** Upper bound for one in-page measurement batch (2000 fetches on a slow, shared machine). */
export const BATCH_WAIT_MS = 120_000;
const ROUTE_COUNT = 1000;

/** Targets printed next to the ratios (scenario / bare, medians of the same run). */
const TARGETS = { p50: 1.05, throughput: 0.95, cold: 1.3, getGzipBytes: 8 * 1024 };

// The 1000-endpoint site: 500 on-demand `api/d{n}/[id].ts`, 500 prerendered `api/p{n}/[id].json.ts` × 10 paths.
const MIXED_ON_DEMAND = 500;
const MIXED_PRERENDERED = 500;
const PATHS_PER_PRERENDERED = 10;
/** build() runs of the mixed site, each into a fresh out dir (the median is reported). */
const BUILD_REPEATS = 3;
/** Upper bound for one build of the mixed site (build() or the CLI). */
const BUILD_WAIT_MS = 180_000;
/** First-visit start-up measurements per site (interleaved: bare, ondemand1000, mixed1000, bare, ...). */
const STARTUP_REPEATS = 5;
/** Cold first requests per request and start-up repeat (fewer than COLD_REPEATS, to keep the whole run under ~8 minutes). */
const STARTUP_COLD_REPEATS = 5;
/**
 * Upper bound for a first visit (install precaches 5000 files: tens of seconds on a
 * slow machine); also passed to startEmulator as its `timeout`, see CLIENT_DEFAULT_TIMEOUT_MS.
 */
const STARTUP_WAIT_MS = 120_000;
/** startEmulator's own default `timeout` (client/index.ts): a first visit slower than this rejects unless the page passes a longer one. */
const CLIENT_DEFAULT_TIMEOUT_MS = 30_000;
const THOUSAND_TARGETS = { buildMs: 3000, files: MIXED_PRERENDERED * PATHS_PER_PRERENDERED, startup: 1.2, cold: TARGETS.cold };
const BUILD_SCRIPT = fileURLToPath(new URL('../build.mjs', import.meta.url));
const execFileAsync = promisify(execFile);

/** A failed correctness check: the scenario's numbers would mean nothing. */
export class CorrectnessError extends Error {
	name = 'CorrectnessError';
}

/** Rejects with a clear message when `promise` does not settle within `ms`. */
export function withTimeout(promise, ms, what) {
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
export function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
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

/**
 * The floor: a hand-written worker that answers a POST to /api/* with its own body
 * (read and sent back: what every worker answering the 2 KB echo pays), GET
 * /api/visit by counting the visit in IndexedDB and answering once that write
 * committed (what any worker whose state outlives it pays: the database opened and
 * the count read once per worker start, one readwrite transaction per request),
 * any other /api/* request with a constant JSON body, and nothing else.
 */
const BARE_WORKER = `
self.addEventListener('install', () => { self.skipWaiting(); });
self.addEventListener('activate', (event) => { event.waitUntil(self.clients.claim()); });
const done = (request) => new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); });
let db;
let visits;
async function visit() {
	db ??= new Promise((resolve, reject) => {
		const open = indexedDB.open('bare', 1);
		open.onupgradeneeded = () => open.result.createObjectStore('state');
		done(open).then(resolve, reject);
	});
	const database = await db;
	visits ??= (await done(database.transaction('state').objectStore('state').get('visits'))) ?? 0;
	const tx = database.transaction('state', 'readwrite');
	tx.objectStore('state').put(++visits, 'visits');
	await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
}
self.addEventListener('fetch', (event) => {
	const { pathname } = new URL(event.request.url);
	if (!pathname.startsWith('/api/')) return;
	const headers = { 'content-type': 'application/json' };
	if (event.request.method === 'POST') event.respondWith(event.request.text().then((text) => new Response(text, { headers })));
	else if (pathname === '/api/visit') event.respondWith(visit().then(() => new Response('{"ok":true}', { headers })));
	else event.respondWith(new Response('{"ok":true}', { headers }));
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

/**
 * The start-up pages (`startup.html?first=<path>`): the clock starts as the page
 * calls register (bare) or startEmulator (sw-endpoints; its module already loaded),
 * and stops once the first request, to `first`, is answered and its body read.
 * `controlled` is when the worker controlled the page (startEmulator resolved).
 */
const BARE_STARTUP_PAGE = `<!doctype html>
<meta charset="utf-8"><title>bench: bare start-up</title>
<script type="module">
const first = new URLSearchParams(location.search).get('first');
const t0 = performance.now();
try {
	const sw = navigator.serviceWorker;
	const controlled = sw.controller ? Promise.resolve() : new Promise((resolve) => sw.addEventListener('controllerchange', resolve, { once: true }));
	await sw.register('/sw.js', { scope: '/' });
	await controlled;
	const tControlled = performance.now();
	const response = await fetch(first);
	const text = await response.text();
	window.startup = { controlled: tControlled - t0, answered: performance.now() - t0, status: response.status, text: text.slice(0, 200) };
} catch (error) {
	window.startup = { error: String(error?.stack ?? error) };
}
</script>
`;

/** The sw-endpoints start-up page; its startEmulator gets a `timeout` long enough for precaching 5000 files (the default would reject, see CLIENT_DEFAULT_TIMEOUT_MS). */
const ENDPOINTS_STARTUP_PAGE = `<!doctype html>
<meta charset="utf-8"><title>bench: sw-endpoints start-up</title>
<script type="module">
import { startEmulator } from './sw-client.js';
const first = new URLSearchParams(location.search).get('first');
const t0 = performance.now();
try {
	window.emulator = await startEmulator({ url: '/sw.js', scope: '/', timeout: ${STARTUP_WAIT_MS} });
	const tControlled = performance.now();
	const response = await fetch(first);
	const text = await response.text();
	window.startup = { controlled: tControlled - t0, answered: performance.now() - t0, status: response.status, text: text.slice(0, 200) };
} catch (error) {
	window.startup = { error: String(error?.stack ?? error) };
}
</script>
`;

/**
 * The same requests answered by Hono 4 in a worker (how its users write one: the
 * app's fetch for /api/ paths, the rest to the network), bundled and minified
 * with esbuild: a peer's cost, measured in the same run. `routes`: also 1000
 * `/api/r{n}/:id` routes, as the routes1000 scenario's.
 */
async function createHonoSite(dir, { routes }) {
	const lines = [
		"import { Hono } from 'hono';",
		'const app = new Hono();',
		"app.get('/api/hello', (c) => c.json({ ok: true }));",
		"app.post('/api/echo', async (c) => c.json(await c.req.json()));",
	];
	if (routes) for (let n = 0; n < ROUTE_COUNT; n++) lines.push(`app.get('/api/r${n}/:id', (c) => c.json({ id: c.req.param('id'), r: ${n} }));`);
	lines.push(
		"self.addEventListener('install', () => { self.skipWaiting(); });",
		"self.addEventListener('activate', (event) => { event.waitUntil(self.clients.claim()); });",
		"self.addEventListener('fetch', (event) => { if (new URL(event.request.url).pathname.startsWith('/api/')) event.respondWith(app.fetch(event.request)); });",
	);
	writeFiles(dir, { 'index.html': BARE_PAGE, 'startup.html': BARE_STARTUP_PAGE, 'worker.js': lines.join('\n') });
	const started = performance.now();
	await esbuild.build({
		entryPoints: [path.join(dir, 'worker.js')],
		bundle: true,
		minify: true,
		format: 'iife',
		outfile: path.join(dir, 'sw.js'),
		// The site is in a temp dir: hono comes from this repository's node_modules.
		nodePaths: [fileURLToPath(new URL('../node_modules', import.meta.url))],
		logLevel: 'silent',
	});
	const buildMs = performance.now() - started;
	const sw = fs.readFileSync(path.join(dir, 'sw.js'));
	return { serveRoot: dir, buildMs, sw: { bytes: sw.length, gzip: gzipSync(sw).length } };
}

/** Writes the bare site into `dir` and returns what to serve. */
function createBareSite(dir) {
	writeFiles(dir, { 'index.html': BARE_PAGE, 'startup.html': BARE_STARTUP_PAGE, 'sw.js': BARE_WORKER });
	return { serveRoot: dir };
}

/** Writes an sw-endpoints project (`pages` under src/pages, `publicFiles` beside index.html in public/) into `dir`, builds it, and returns what to serve plus the worker's size and build time. */
async function createEndpointSite(dir, pages, publicFiles = {}) {
	const files = { 'public/index.html': ENDPOINTS_PAGE };
	for (const [name, text] of Object.entries(publicFiles)) files[path.join('public', name)] = text;
	for (const [name, text] of Object.entries(pages)) files[path.join('src/pages', name)] = text;
	writeFiles(dir, files);
	// Build time is wall time around build() (scan + bundle + write), as a user would see it.
	const started = performance.now();
	const result = await build({ root: dir, logger: null });
	const buildMs = performance.now() - started;
	const sw = fs.readFileSync(path.join(result.out, 'sw.js'));
	return { serveRoot: result.out, buildMs, sw: { bytes: sw.length, gzip: gzipSync(sw).length }, precached: result.precache.files.length };
}

/** The mixed site's endpoint files: MIXED_ON_DEMAND `api/d{n}/[id].ts` and MIXED_PRERENDERED prerendered `api/p{n}/[id].json.ts`. */
function mixedPages({ onDemand, prerendered }) {
	const pages = {};
	for (let n = 0; n < onDemand; n++) {
		pages[`api/d${n}/[id].ts`] = `export const GET = ({ params }) => Response.json({ n: ${n}, id: params.id });\n`;
	}
	for (let n = 0; n < prerendered; n++) {
		pages[`api/p${n}/[id].json.ts`] =
			'export const prerender = true;\n' +
			`export const getStaticPaths = () => Array.from({ length: ${PATHS_PER_PRERENDERED} }, (_, i) => ({ params: { id: String(i) } }));\n` +
			`export const GET = ({ params }) => Response.json({ n: ${n}, id: params.id });\n`;
	}
	return pages;
}

/** Every file under `dir`, as paths relative to it. */
function listFilesUnder(dir) {
	return fs
		.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((e) => e.isFile())
		.map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/**
 * Checks one build output of the mixed site: exactly the expected prerendered files
 * under api/, with the right body in the last one. Returns the counts.
 */
function checkMixedOutput(out, what) {
	const expected = MIXED_PRERENDERED * PATHS_PER_PRERENDERED;
	const all = listFilesUnder(out);
	const prerendered = all.filter((f) => /^api[\\/]p\d+[\\/]\d+\.json$/.test(f)).length;
	if (prerendered !== expected) throw new CorrectnessError(`mixed1000 ${what}: ${prerendered} prerendered files under ${out}/api, expected ${expected}`);
	const lastFile = path.join(out, 'api', `p${MIXED_PRERENDERED - 1}`, `${PATHS_PER_PRERENDERED - 1}.json`);
	const lastBody = fs.readFileSync(lastFile, 'utf8');
	const lastExpected = JSON.stringify({ n: MIXED_PRERENDERED - 1, id: String(PATHS_PER_PRERENDERED - 1) });
	if (lastBody !== lastExpected)
		throw new CorrectnessError(`mixed1000 ${what}: ${lastFile} holds ${JSON.stringify(lastBody.slice(0, 200))}, expected ${lastExpected}`);
	return { prerendered, all: all.length };
}

/**
 * Writes the mixed 1000-endpoint project into `dir`, builds it BUILD_REPEATS times
 * with build() (each into a fresh out dir under `tmp`), then once with the CLI
 * (`node build.mjs --root <dir>`, process start included, into <dir>/dist), checking
 * every output. Returns the timings and the last build()'s output to serve.
 */
async function buildMixedSite(tmp) {
	const dir = path.join(tmp, 'mixed1000');
	const files = { 'public/index.html': ENDPOINTS_PAGE, 'public/startup.html': ENDPOINTS_STARTUP_PAGE };
	for (const [name, text] of Object.entries(mixedPages({ onDemand: MIXED_ON_DEMAND, prerendered: MIXED_PRERENDERED })))
		files[path.join('src/pages', name)] = text;
	writeFiles(dir, files);

	const runs = [];
	let result;
	let counts;
	for (let i = 0; i < BUILD_REPEATS; i++) {
		const out = path.join(tmp, `mixed1000-out-${i + 1}`);
		const started = performance.now();
		const next = await withTimeout(build({ root: dir, out, logger: null }), BUILD_WAIT_MS, `mixed1000: build() ${i + 1}`);
		runs.push(performance.now() - started);
		counts = checkMixedOutput(out, `build() ${i + 1}`);
		if (next.prerendered.length !== counts.prerendered) {
			throw new CorrectnessError(
				`mixed1000 build() ${i + 1}: result.prerendered lists ${next.prerendered.length} files but ${counts.prerendered} were written`,
			);
		}
		// Only the last output is served; the others would only take disk space.
		if (result) fs.rmSync(result.out, { recursive: true, force: true });
		result = next;
	}
	console.log(`[bench] mixed1000 build() ${runs.map((ms) => `${Math.round(ms)} ms`).join(', ')}; ${counts.prerendered} prerendered files`);

	const cliOut = path.join(dir, 'dist');
	const cliStarted = performance.now();
	await execFileAsync(process.execPath, [BUILD_SCRIPT, '--root', dir], { cwd: tmp, timeout: BUILD_WAIT_MS, maxBuffer: 64 * 1024 * 1024 }).catch((error) => {
		throw new Error(
			`mixed1000: \`node build.mjs --root ${dir}\` failed (${error.killed ? `killed after ${BUILD_WAIT_MS} ms` : `exit ${error.code}`}): ${String(error.stderr || error.message).trim()}`,
		);
	});
	const cliMs = performance.now() - cliStarted;
	const cliCounts = checkMixedOutput(cliOut, 'CLI build');
	fs.rmSync(cliOut, { recursive: true, force: true });
	console.log(`[bench] mixed1000 CLI build ${Math.round(cliMs)} ms; ${cliCounts.prerendered} prerendered files`);

	const sw = fs.readFileSync(path.join(result.out, 'sw.js'));
	return {
		runs,
		medianMs: median(runs),
		cliMs,
		prerenderedFiles: counts.prerendered,
		outFiles: counts.all,
		site: { serveRoot: result.out, sw: { bytes: sw.length, gzip: gzipSync(sw).length }, precached: result.precache.files.length },
	};
}

/** Creates every scenario's site under `tmp` (building the sw-endpoints ones) and returns the scenario list, bare first. */
export async function prepareScenarios(tmp) {
	const body = twoKilobyteJson();
	const routePages = {};
	for (let n = 0; n < ROUTE_COUNT; n++) {
		routePages[`api/r${n}/[id].ts`] = `export const GET = ({ params }) => Response.json({ id: params.id, r: ${n} });\n`;
	}
	const get = { method: 'GET' };
	const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
	const hono = await createHonoSite(path.join(tmp, 'hono'), { routes: false });
	const bare = createBareSite(path.join(tmp, 'bare'));
	return [
		{ name: 'bare', path: '/api/hello', init: get, expected: '{"ok":true}', site: bare, floor: true },
		// The POST rows' floor: the bare worker reading the same 2 KB body and sending it back.
		{ name: 'bare-post', path: '/api/echo', init: post, expected: body, site: bare, floor: true },
		// The session row's floor beside its target (which is against bare): the bare worker committing a count to IndexedDB per request.
		{ name: 'bare-state', path: '/api/visit', init: get, expected: '{"ok":true}', site: bare, floor: true },
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
			init: post,
			expected: body,
			baseline: 'bare-post',
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
			stateFloor: 'bare-state',
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
		// The peer, for context (no targets): get and post on a 2-route Hono worker, the last of 1000 routes on another.
		{ name: 'hono-get', path: '/api/hello', init: get, expected: '{"ok":true}', site: hono, context: true },
		{
			name: 'hono-post',
			path: '/api/echo',
			init: post,
			expected: body,
			baseline: 'bare-post',
			site: hono,
			context: true,
		},
		{
			name: 'hono-1000',
			path: `/api/r${ROUTE_COUNT - 1}/42`,
			init: get,
			expected: JSON.stringify({ id: '42', r: ROUTE_COUNT - 1 }),
			site: await createHonoSite(path.join(tmp, 'hono1000'), { routes: true }),
			context: true,
		},
	];
}

/**
 * Builds the 1000-endpoint sites (timing the mixed one's builds) and returns the
 * build numbers plus the start-up scenarios, bare first. `bare` is the rounds' bare
 * site (it has startup.html too). When the mixed build's output is wrong, that
 * scenario is left out and its failure returned, so the others still run.
 */
async function prepareStartupScenarios(tmp, bare) {
	const d = MIXED_ON_DEMAND - 1;
	const p = MIXED_PRERENDERED - 1;
	const firstPath = `/api/d${d}/7`;
	const onDemand = { label: 'onDemand', path: firstPath, expected: JSON.stringify({ n: d, id: '7' }) };
	const prerendered = {
		label: 'prerendered',
		path: `/api/p${p}/${PATHS_PER_PRERENDERED - 1}.json`,
		expected: JSON.stringify({ n: p, id: String(PATHS_PER_PRERENDERED - 1) }),
		cacheOnly: true,
	};
	const failures = new Map();
	let mixed;
	try {
		mixed = await buildMixedSite(tmp);
	} catch (error) {
		if (!(error instanceof CorrectnessError)) throw error;
		failures.set('mixed1000', error.message);
		console.error(`[bench] CORRECTNESS FAILURE ${error.message}`);
	}
	const total = MIXED_ON_DEMAND + MIXED_PRERENDERED;
	const scenarios = [
		{
			name: 'bare',
			routes: 'a 10-line worker',
			first: { path: firstPath, expected: '{"ok":true}' },
			cold: [{ ...onDemand, expected: '{"ok":true}' }],
			site: bare.site,
		},
		{
			name: 'ondemand1000',
			routes: `${total} on demand`,
			first: onDemand,
			cold: [onDemand],
			site: await createEndpointSite(path.join(tmp, 'ondemand1000'), mixedPages({ onDemand: total, prerendered: 0 }), {
				'startup.html': ENDPOINTS_STARTUP_PAGE,
			}),
		},
	];
	if (mixed) {
		scenarios.push({
			name: 'mixed1000',
			routes: `${MIXED_ON_DEMAND} on demand + ${MIXED_PRERENDERED} prerendered`,
			first: onDemand,
			cold: [onDemand, prerendered],
			site: mixed.site,
		});
	}
	for (const s of scenarios) s.precached = s.site.precached;
	return {
		build: mixed && { runs: mixed.runs, medianMs: mixed.medianMs, cliMs: mixed.cliMs, prerenderedFiles: mixed.prerenderedFiles, outFiles: mixed.outFiles },
		scenarios,
		failures,
	};
}

// ---- In-page functions: passed to page.evaluate, so each must be self-contained.
// Every fetch reads the whole body and is checked (status 200, exact body), in
// every scenario alike, so a broken worker cannot produce a fast number and the
// check costs the same everywhere.

/** In the page: `count` sequential fetches, returning each latency (fetch start → body read) and the number of wrong answers. */
export async function pageSequential({ path, init, expected, count }) {
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
export async function pagePooled({ path, init, expected, total, poolSize }) {
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
export async function pageOnce({ path, init, expected }) {
	const start = performance.now();
	const response = await fetch(path, init);
	const text = await response.text();
	const ms = performance.now() - start;
	return {
		ms,
		status: response.status,
		type: response.headers.get('content-type'),
		ok: response.status === 200 && text === expected,
		text: text.slice(0, 200),
	};
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
	await page
		.waitForFunction(() => window.ready === true || window.startError !== undefined, null, { timeout: WAIT_MS })
		.catch((error) => {
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
 * Times the first request after the browser stopped the worker, `repeats` times.
 * Waits for the CDP-reported running status to be `stopped` (rather than trusting
 * a fixed sleep) so each sample really includes starting the worker.
 */
async function measureCold(context, page, scenario, repeats = COLD_REPEATS) {
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
		for (let i = 0; i < repeats; i++) {
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
 * One first visit in a fresh browser context (empty storage and HTTP cache, so the
 * install runs in full, precaching included): loads startup.html, which times
 * register → controlled → first answered request, checks that answer, checks that
 * every precached file is in Cache Storage, then times the first request after the
 * worker was stopped for each of `scenario.cold`. A cold request marked
 * `cacheOnly` has its file hidden from the static server meanwhile, so a 200 with
 * the right body proves Cache Storage answered it, not the network.
 */
async function measureStartup(browser, scenario, url) {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		page.on('pageerror', (error) => console.error(`[${scenario.name}] page error: ${error.message}`));
		await page.goto(`${url}startup.html?first=${encodeURIComponent(scenario.first.path)}`, { timeout: WAIT_MS });
		await page
			.waitForFunction(() => window.startup !== undefined, null, { timeout: STARTUP_WAIT_MS + 5000 })
			.catch((error) => {
				throw new Error(`${scenario.name}: no first answer within ${STARTUP_WAIT_MS + 5000} ms of a first visit (${error.message.split('\n')[0]})`);
			});
		const startup = await page.evaluate(() => window.startup);
		if (startup.error) throw new CorrectnessError(`${scenario.name}: the page could not start its worker: ${startup.error}`);
		if (startup.status !== 200 || startup.text !== scenario.first.expected) {
			throw new CorrectnessError(
				`${scenario.name}: first request GET ${scenario.first.path} answered ${startup.status} ${JSON.stringify(startup.text)}, expected ${scenario.first.expected}`,
			);
		}
		if (scenario.precached) {
			// Prerendered outputs are cached in the background once the worker controls the page.
			const fillStarted = performance.now();
			await withTimeout(
				page.evaluate(() => window.emulator?.offlineReady()),
				STARTUP_WAIT_MS,
				`${scenario.name}: caching every file`,
			);
			startup.fillMs = performance.now() - fillStarted;
			// Files, and the entry a completed fill adds beside them (a query after the base: sw/worker/precache.ts).
			const { cached, marks } = await withTimeout(
				page.evaluate(async () => {
					let cached = 0;
					let marks = 0;
					for (const name of await caches.keys()) {
						for (const request of await (await caches.open(name)).keys()) {
							if (new URL(request.url).search) marks++;
							else cached++;
						}
					}
					return { cached, marks };
				}),
				WAIT_MS,
				`${scenario.name}: counting Cache Storage`,
			);
			if (cached !== scenario.precached || marks !== 1)
				throw new CorrectnessError(
					`${scenario.name}: Cache Storage holds ${cached} files and ${marks} marks of a completed fill after install, the build lists ${scenario.precached} files`,
				);
		}

		const cold = {};
		for (const request of scenario.cold) {
			const hidden = request.cacheOnly ? path.join(scenario.site.serveRoot, ...request.path.split('/')) : undefined;
			if (hidden) fs.renameSync(hidden, `${hidden}.hidden`);
			try {
				const what = `${scenario.name} GET ${request.path}${hidden ? ' (its file hidden from the static server: only Cache Storage can answer)' : ''}`;
				const samples = await measureCold(
					context,
					page,
					{ name: what, path: request.path, init: { method: 'GET' }, expected: request.expected },
					STARTUP_COLD_REPEATS,
				);
				cold[request.label] = { median: median(samples), samples };
			} finally {
				if (hidden) fs.renameSync(`${hidden}.hidden`, hidden);
			}
		}
		return { controlled: startup.controlled, answered: startup.answered, cold };
	} finally {
		await context.close().catch(() => {});
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

/** The floor a scenario's ratios divide by: its `baseline` (bare-post for the POST rows), else bare. */
export const floorOf = (/** @type {{ baseline?: string }} */ s) => s.baseline ?? 'bare';

/** What `bare-state`, the floor a `stateFloor` names, is, for the line that divides by it. */
export const STATE_FLOOR_TEXT = 'a bare worker committing the same write to IndexedDB before it answers';

/** Prints the per-round and median tables and the sizes, and returns the JSON summary. */
function report(scenarios, results, failures, meta) {
	const summary = { ...meta, targets: TARGETS, scenarios: {}, sizes: {} };

	console.log(`\nPer round (ratio to the floor of the same round in brackets: bare-post for POST rows, else bare)`);
	const roundRows = [];
	for (let round = 0; round < ROUNDS; round++) {
		for (const s of scenarios) {
			const r = results[s.name][round];
			const floor = results[floorOf(s)][round];
			if (!r) continue;
			const cell = (m) => `${fmt(m, r[m])}${floor && !s.floor ? ` [${(r[m] / floor[m]).toFixed(2)}]` : ''}`;
			roundRows.push([round + 1, s.name, ...METRICS.map(cell)]);
		}
	}
	printTable(['round', 'scenario', 'p50', 'p95', 'throughput', 'cold 1st req'], roundRows);

	console.log(
		`\nMedian of ${ROUNDS} rounds, ratio = scenario / its floor (bare-post for POST rows, else bare; targets: p50 ≤ ${TARGETS.p50}×, throughput ≥ ${TARGETS.throughput}×, cold ≤ ${TARGETS.cold}×; session p50 ≤ 1.25×, cold ≤ 1.5×); [min–max] of the rounds' own ratios; hono-* rows are Hono 4 in a worker, for context`,
	);
	const medians = {};
	for (const s of scenarios) {
		const rounds = results[s.name];
		medians[s.name] = rounds.length ? Object.fromEntries(METRICS.map((m) => [m, median(rounds.map((r) => r[m]))])) : undefined;
	}
	const rows = [];
	for (const s of scenarios) {
		const med = medians[s.name];
		const floor = medians[floorOf(s)];
		const ratio = med && floor && !s.floor ? Object.fromEntries(METRICS.map((m) => [m, med[m] / floor[m]])) : undefined;
		const targets = s.targets ?? TARGETS;
		const pass =
			ratio && !s.context ? { p50: ratio.p50 <= targets.p50, throughput: ratio.throughput >= targets.throughput, cold: ratio.cold <= targets.cold } : undefined;
		// Each round's ratio to its floor of the same round: the spread of the figure.
		const floorRounds = results[floorOf(s)] ?? [];
		const perRound = (results[s.name] ?? []).map((r, round) => floorRounds[round] && Object.fromEntries(METRICS.map((m) => [m, r[m] / floorRounds[round][m]])));
		const spread = Object.fromEntries(
			METRICS.map((m) => {
				const values = perRound.filter(Boolean).map((r) => r[m]);
				return [m, values.length ? [Math.min(...values), Math.max(...values)] : undefined];
			}),
		);
		summary.scenarios[s.name] = {
			request: `${s.init.method} ${s.path}`,
			failed: failures.get(s.name),
			rounds: results[s.name],
			median: med,
			ratio,
			floor: s.floor ? undefined : floorOf(s),
			ratioSpread: s.floor ? undefined : spread,
			pass,
			context: s.context,
		};
		if (!med) {
			rows.push([s.name, 'FAILED (correctness, see below)', '', '', '']);
			continue;
		}
		const range = (/** @type {string} */ m) => (spread[m] ? ` [${spread[m][0].toFixed(2)}–${spread[m][1].toFixed(2)}]` : '');
		const verdict = (/** @type {string} */ m) => (s.context ? `${ratio?.[m].toFixed(2)}×` : fmtRatio(m, ratio?.[m], targets));
		const cells = METRICS.map((m) => (s.floor ? fmt(m, med[m]) : `${fmt(m, med[m])}  ${verdict(m)}${range(m)}`));
		rows.push([s.name, ...cells]);
	}
	printTable(['scenario', 'p50', 'p95', `throughput (${POOL_SIZE} in flight)`, `cold 1st req (median of ${COLD_REPEATS})`], rows);
	for (const [name, message] of failures) console.log(`  ${name} FAILED: ${message}`);
	// What a row costs beyond the platform's own floor for the same work (session: one IndexedDB commit per request).
	for (const s of scenarios) {
		const med = medians[s.name];
		const floor = s.stateFloor && medians[s.stateFloor];
		if (!med || !floor) continue;
		const beyond = Object.fromEntries(METRICS.map((m) => [m, med[m] / floor[m]]));
		summary.scenarios[s.name].beyondStateFloor = { floor: s.stateFloor, ratio: beyond };
		console.log(`  ${s.name} / ${s.stateFloor} (${STATE_FLOOR_TEXT}): ` + METRICS.map((m) => `${m} ${beyond[m].toFixed(2)}×`).join(', '));
	}

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
	const sized = new Set();
	for (const s of scenarios) {
		if (!s.site.sw || sized.has(s.site)) continue;
		sized.add(s.site);
		const { bytes, gzip } = s.site.sw;
		summary.sizes[s.name] = { bytes, gzip, buildMs: Math.round(s.site.buildMs) };
		const target = s.name === 'get' ? `  ${gzip <= TARGETS.getGzipBytes ? '✓' : '✗'} (target ≤ ${TARGETS.getGzipBytes / 1024} KB gzip)` : '';
		console.log(
			`  ${s.name.padEnd(11)} ${(bytes / 1024).toFixed(1).padStart(6)} KB  ${(gzip / 1024).toFixed(2).padStart(6)} KB gzip  built in ${Math.round(s.site.buildMs)} ms${target}`,
		);
	}
	return summary;
}

/** Formats milliseconds for the 1000-endpoint tables (whole ms from 100 ms up). */
function fmtMs(ms) {
	if (ms === undefined || Number.isNaN(ms)) return 'n/a';
	return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/** A ratio with its verdict against an upper bound. */
function fmtRatioMax(ratio, max) {
	if (ratio === undefined || Number.isNaN(ratio)) return 'n/a';
	return `${ratio.toFixed(2)}× ${ratio <= max ? '✓' : '✗'} (≤${max.toFixed(2)})`;
}

/** Prints the 1000-endpoint tables (build, first-visit start-up, cold first request) and returns their JSON summary. */
function reportThousand(build, scenarios, results, failures) {
	const summary = { targets: THOUSAND_TARGETS, build, startup: {}, cold: {} };
	const title = `${MIXED_ON_DEMAND} on demand + ${MIXED_PRERENDERED} prerendered × ${PATHS_PER_PRERENDERED} paths`;

	console.log(`\nBuild of 1000 endpoints (mixed1000: ${title})`);
	if (build) {
		const buildPass = build.medianMs < THOUSAND_TARGETS.buildMs;
		const filesPass = build.prerenderedFiles === THOUSAND_TARGETS.files;
		summary.build = { ...build, pass: { buildMs: buildPass, files: filesPass } };
		printTable(
			['measure', 'value', 'target'],
			[
				[
					`build() into a fresh out dir, median of ${BUILD_REPEATS} (${build.runs.map((ms) => Math.round(ms)).join(', ')} ms)`,
					fmtMs(build.medianMs),
					`${buildPass ? '✓' : '✗'} (< ${THOUSAND_TARGETS.buildMs} ms)`,
				],
				['prerendered files emitted', String(build.prerenderedFiles), `${filesPass ? '✓' : '✗'} (${THOUSAND_TARGETS.files})`],
				['files in the out dir, all (+ sw.js, sw-client.js, maps, public/)', String(build.outFiles), ''],
				['`node build.mjs --root <dir>` once, process start included', fmtMs(build.cliMs), '(context)'],
			],
		);
	} else console.log(`  FAILED: ${failures.get('mixed1000')}`);

	const medians = {};
	for (const s of scenarios) {
		const runs = results[s.name];
		if (!runs.length) continue;
		medians[s.name] = {
			controlled: median(runs.map((r) => r.controlled)),
			answered: median(runs.map((r) => r.answered)),
			cold: Object.fromEntries(s.cold.map((c) => [c.label, median(runs.map((r) => r.cold[c.label].median))])),
		};
	}
	const bare = medians.bare;

	console.log(
		`\nFirst visit: from register (startEmulator) to the first answered request GET ${scenarios[0].first.path}, each in a fresh context ` +
			`(median of ${STARTUP_REPEATS}; ratio = site / bare; target ≤ ${THOUSAND_TARGETS.startup}×). Install includes precaching.`,
	);
	const startupRows = [];
	for (const s of scenarios) {
		const med = medians[s.name];
		const ratio = med && bare && s.name !== 'bare' ? med.answered / bare.answered : undefined;
		summary.startup[s.name] = {
			routes: s.routes,
			precached: s.precached ?? 0,
			swBytes: s.site.sw?.bytes,
			swGzip: s.site.sw?.gzip,
			failed: failures.get(s.name),
			samples: results[s.name].map((r) => ({ controlled: r.controlled, answered: r.answered })),
			median: med && { controlled: med.controlled, answered: med.answered },
			ratio,
			pass: ratio === undefined ? undefined : ratio <= THOUSAND_TARGETS.startup,
		};
		const size = s.site.sw ? `${(s.site.sw.gzip / 1024).toFixed(1)} KB` : '—';
		if (!med) {
			startupRows.push([s.name, s.routes, String(s.precached ?? 0), size, 'FAILED (see below)', '', '', '']);
			continue;
		}
		startupRows.push([
			s.name,
			s.routes,
			String(s.precached ?? 0),
			size,
			fmtMs(med.controlled),
			fmtMs(med.answered),
			s.name === 'bare' ? '' : fmtRatioMax(ratio, THOUSAND_TARGETS.startup),
			results[s.name].map((r) => Math.round(r.answered)).join(', '),
		]);
	}
	printTable(['site', 'routes', 'precached files', 'sw.js gzip', 'controlled', 'first answer', 'ratio', 'first answer per repeat (ms)'], startupRows);
	const slow = (results.mixed1000 ?? []).filter((r) => r.controlled > CLIENT_DEFAULT_TIMEOUT_MS).length;
	if (slow) {
		console.log(
			`  ! ${slow} of ${results.mixed1000.length} mixed1000 first visits took longer than startEmulator's default timeout (${CLIENT_DEFAULT_TIMEOUT_MS} ms) ` +
				`to control the page: called as documented, startEmulator({ url, scope }) would have rejected them (a Timeout error after ${CLIENT_DEFAULT_TIMEOUT_MS} ms). ` +
				`The bench's page passes timeout: ${STARTUP_WAIT_MS}.`,
		);
	}
	summary.exceededClientDefaultTimeout = slow;

	console.log(
		`\nFirst request after the browser stopped the worker (CDP ServiceWorker.stopAllWorkers), same contexts as above: median over ${STARTUP_REPEATS} visits of ` +
			`the median of ${STARTUP_COLD_REPEATS} (the rounds above use ${COLD_REPEATS}); ratio = site / bare of these visits; target ≤ ${THOUSAND_TARGETS.cold}×`,
	);
	const coldRows = [];
	for (const s of scenarios) {
		for (const c of s.cold) {
			const med = medians[s.name]?.cold[c.label];
			const ratio = med !== undefined && bare && s.name !== 'bare' ? med / bare.cold.onDemand : undefined;
			(summary.cold[s.name] ??= {})[c.label] = {
				request: `GET ${c.path}`,
				samples: results[s.name].map((r) => r.cold[c.label].samples),
				median: med,
				ratio,
				pass: ratio === undefined ? undefined : ratio <= THOUSAND_TARGETS.cold,
			};
			const how = s.name === 'bare' ? 'constant' : c.cacheOnly ? 'prerendered, from Cache Storage' : 'on demand';
			coldRows.push([
				s.name,
				`GET ${c.path}`,
				how,
				med === undefined ? 'FAILED' : fmtMs(med),
				s.name === 'bare' ? '' : fmtRatioMax(ratio, THOUSAND_TARGETS.cold),
			]);
		}
	}
	printTable(['site', 'request', 'answer', 'cold 1st req', 'ratio'], coldRows);
	for (const [name, message] of failures) console.log(`  ${name} FAILED: ${message}`);

	const bareRuns = results.bare ?? [];
	if (bareRuns.length > 1) {
		const spread = (values) => (Math.max(...values) - Math.min(...values)) / median(values);
		const startupSpread = spread(bareRuns.map((r) => r.answered));
		const coldSpread = spread(bareRuns.map((r) => r.cold.onDemand.median));
		summary.bareSpread = { startup: startupSpread, cold: coldSpread };
		console.log(
			`\nNoise: bare's own spread across these visits: first answer ±${((startupSpread / 2) * 100).toFixed(0)}%, cold ±${((coldSpread / 2) * 100).toFixed(0)}%`,
		);
	}
	return summary;
}

// ---- Main.

/** Builds the sites, runs ROUNDS interleaved rounds and the 1000-endpoint start-up repeats, prints the report; cleans up whatever happens. */
async function main() {
	const started = performance.now();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-bench-'));
	/** @type {Array<{ url: string, close(): Promise<void> }>} */
	const servers = [];
	/** @type {import('playwright').Browser | undefined} */
	let browser;
	let interrupted = false;
	const childAbort = new AbortController();
	// Ctrl-C closes the browser (or stops the other engines or the Vitest runs), which makes the pending step fail and the finally below clean up.
	const interrupt = () => {
		console.error('\n[bench] interrupted; cleaning up');
		interrupted = true;
		process.exitCode = 130;
		void browser?.close();
		childAbort.abort();
	};
	process.once('SIGINT', interrupt);
	process.once('SIGTERM', interrupt);
	try {
		console.log('[bench] building sites…');
		const scenarios = await prepareScenarios(tmp);
		if (interrupted) return;
		console.log('[bench] building the 1000-endpoint sites…');
		const thousand = await prepareStartupScenarios(tmp, scenarios[0]);
		const urls = {};
		const startupUrls = {};
		for (const s of scenarios) {
			const server = await serveStatic({ root: s.site.serveRoot, port: 0 });
			servers.push(server);
			urls[s.name] = `${server.url}/`;
		}
		// bare's start-up uses the rounds' bare site (and server); the others get their own.
		for (const s of thousand.scenarios) {
			if (s.name === 'bare') {
				startupUrls.bare = urls.bare;
				continue;
			}
			const server = await serveStatic({ root: s.site.serveRoot, port: 0 });
			servers.push(server);
			startupUrls[s.name] = `${server.url}/`;
		}
		if (interrupted) return;
		browser = await chromium.launch(launchOptions());
		const chromiumVersion = browser.version();
		console.log(
			`[bench] Chromium ${chromiumVersion}, Node ${process.version}, ${os.cpus().length} CPUs; ${ROUNDS} rounds × ${scenarios.length} scenarios, ` +
				`then ${STARTUP_REPEATS} first visits × ${thousand.scenarios.length} sites (${STARTUP_COLD_REPEATS} cold requests each)`,
		);

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
					console.log(
						`[bench] round ${round + 1} ${s.name.padEnd(10)} p50 ${fmt('p50', r.p50)}  ${fmt('throughput', r.throughput)}  cold ${fmt('cold', r.cold)}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
					);
				} catch (error) {
					if (!(error instanceof CorrectnessError)) throw error;
					// A wrong answer disqualifies the scenario for the whole run: keep measuring the others.
					failures.set(s.name, error.message);
					console.error(`[bench] CORRECTNESS FAILURE ${error.message}`);
				}
			}
		}
		if (notIsolated) console.warn('[bench] warning: a page was not cross-origin isolated; latencies are quantized to 100 µs');

		// First visits to the 1000-endpoint sites, interleaved (bare, ondemand1000, mixed1000, bare, ...).
		/** @type {Record<string, any[]>} */
		const startupResults = Object.fromEntries(thousand.scenarios.map((s) => [s.name, []]));
		const startupFailures = thousand.failures;
		for (let repeat = 0; repeat < STARTUP_REPEATS; repeat++) {
			for (const s of thousand.scenarios) {
				if (startupFailures.has(s.name)) continue;
				const t0 = performance.now();
				try {
					const r = await measureStartup(browser, s, startupUrls[s.name]);
					startupResults[s.name].push(r);
					const cold = s.cold.map((c) => `${c.label} ${fmtMs(r.cold[c.label].median)}`).join(', ');
					console.log(
						`[bench] first visit ${repeat + 1} ${s.name.padEnd(12)} controlled ${fmtMs(r.controlled)}  first answer ${fmtMs(r.answered)}  cold ${cold}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
					);
				} catch (error) {
					if (!(error instanceof CorrectnessError)) throw error;
					startupFailures.set(s.name, error.message);
					console.error(`[bench] CORRECTNESS FAILURE ${error.message}`);
				}
			}
		}

		// The other engines and the Vitest comparison come next; Chromium, idle by now, is closed so it takes no CPU from them.
		await browser.close();
		if (interrupted) return;
		// Firefox and WebKit on the sites served above (imported here: engines.mjs imports this file's helpers).
		const { enginesFromEnv, reportEngineBench, runEngineBench } = await import('./engines.mjs');
		const engines = await runEngineBench({ engines: enginesFromEnv(), scenarios, urls, signal: childAbort.signal });
		if (interrupted) return;
		const vitest = await runVitestBench({ signal: childAbort.signal });
		if (interrupted) return;
		const vite = await runViteBench();

		const totalMs = performance.now() - started;
		const summary = report(scenarios, results, failures, {
			chromium: chromiumVersion,
			node: process.version,
			cpus: os.cpus().length,
			rounds: ROUNDS,
			settings: {
				warmup: WARMUP,
				sequential: SEQUENTIAL,
				pooledTotal: POOLED_TOTAL,
				poolSize: POOL_SIZE,
				coldRepeats: COLD_REPEATS,
				coldSettleMs: COLD_SETTLE_MS,
				buildRepeats: BUILD_REPEATS,
				startupRepeats: STARTUP_REPEATS,
				startupColdRepeats: STARTUP_COLD_REPEATS,
			},
			timerResolution: notIsolated ? '100us' : '5us',
			totalMs: Math.round(totalMs),
		});
		summary.thousand = reportThousand(thousand.build, thousand.scenarios, startupResults, startupFailures);
		summary.engines = reportEngineBench(engines);
		summary.vitest = reportVitestBench(vitest);
		reportViteBench(vite);
		summary.vite = vite;
		console.log(`\nTotal run time ${(totalMs / 1000).toFixed(1)} s`);
		console.log(`BENCH_JSON ${JSON.stringify(summary)}`);
		const failed = [
			...failures.keys(),
			...[...startupFailures.keys()].map((name) => `${name} (first visit)`),
			...summary.engines.failed,
			...Object.keys(summary.vitest.failures).map((name) => `vitest ${name}`),
		];
		if (failed.length) {
			console.error(`[bench] ${failed.length} scenario(s) failed their correctness check: ${failed.join(', ')}`);
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

// Run as a script only: bench/engines.mjs imports the helpers above.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	main().catch((error) => {
		// After Ctrl-C the pending step fails because the browser was closed: that is no news.
		if (process.exitCode === 130) return;
		console.error(`[bench] failed: ${error?.stack ?? error}`);
		process.exitCode = process.exitCode || 1;
	});
}
