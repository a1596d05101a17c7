#!/usr/bin/env node
// Throughput of one commit's worker against the working tree's, and both against
// a bare worker, in one run of headless Chromium: for telling whether a change to
// the runtime made requests faster. Not part of `npm run bench`.
//
//   node bench/ab.mjs <rev> [--scenario get|post|session] [--rounds 7] [--requests 2000] [--in-flight 50] [--cold 9]
//
// <rev> is checked out into a temp git worktree (this checkout's node_modules
// linked in, its package built); both trees build the same one-endpoint project.
// Each round opens a fresh context per worker (bare, rev, working tree, in turn)
// and times `--requests` fetches, `--in-flight` at a time (50; 1 for one after
// another, which times latency), after a warm-up run of the
// same size. Printed: medians across rounds, and each worker's throughput as a
// ratio to the bare worker's (higher is better; 1.00 is the bare worker).
// With `--cold <n>`, the first request after the browser stopped the worker instead
// (CDP ServiceWorker.stopAllWorkers, as `npm run bench` measures it): per round the
// median of n such requests, then the median across rounds, as a ratio to the bare
// worker's (lower is better).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { launchOptions } from '../scripts/browsers.mjs';
import { serveStatic } from '../testing/static-server.mjs';
import { median } from './stats.mjs';

const JSON_BODY = JSON.stringify({ items: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item ${i}` })) });

/** The endpoint each scenario builds, and what its bare worker answers. */
const SCENARIOS = {
	get: {
		endpoint: `export const GET = () => Response.json({ ok: true });\n`,
		bare: `event.respondWith(new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } }))`,
		init: undefined,
	},
	post: {
		endpoint: `export const POST = async ({ request }) => Response.json(await request.json());\n`,
		bare: `event.respondWith(event.request.text().then((t) => new Response(t, { headers: { 'content-type': 'application/json' } })))`,
		init: { method: 'POST', body: JSON_BODY, headers: { 'content-type': 'application/json' } },
	},
	session: {
		endpoint: `export const GET = async ({ session }) => {\n\tconst n = (await session.get('n')) ?? 0;\n\tsession.set('n', n + 1);\n\treturn Response.json({ ok: true });\n};\n`,
		bare: `event.respondWith(new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } }))`,
		init: undefined,
	},
};

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		scenario: { type: 'string', default: 'get' },
		rounds: { type: 'string', default: '7' },
		requests: { type: 'string', default: '2000' },
		cold: { type: 'string' },
		'in-flight': { type: 'string', default: '50' },
	},
});
const rev = positionals[0];
const scenario = SCENARIOS[/** @type {keyof typeof SCENARIOS} */ (values.scenario)];
if (!rev || !scenario) {
	console.error(`usage: node bench/ab.mjs <rev> [--scenario ${Object.keys(SCENARIOS).join('|')}] [--rounds 7] [--requests 2000] [--in-flight 50] [--cold 9]`);
	process.exit(2);
}
const rounds = Number(values.rounds);
const coldRequests = values.cold === undefined ? 0 : Number(values.cold);
const requests = Number(values.requests);
/** Requests in flight at a time (1: one after another, latency rather than throughput). */
const IN_FLIGHT = Number(values['in-flight']);
const repo = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-ab-'));
const worktree = path.join(tmp, 'rev');

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
const { startEmulator } = await import('./sw-client.js');
await startEmulator({ url: '/sw.js', scope: '/' });
window.ready = true;
</script>`;
const BARE_PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
const sw = navigator.serviceWorker;
const controlled = sw.controller ? null : new Promise((resolve) => sw.addEventListener('controllerchange', resolve, { once: true }));
await sw.register('/sw.js');
await controlled;
window.ready = true;
</script>`;

/** Builds the scenario's project with the build.mjs of `tree`; returns the folder to serve. */
async function site(tree, name) {
	const root = path.join(tmp, name);
	fs.mkdirSync(path.join(root, 'src/pages/api'), { recursive: true });
	fs.mkdirSync(path.join(root, 'public'));
	fs.writeFileSync(path.join(root, 'public/index.html'), PAGE);
	fs.writeFileSync(path.join(root, 'src/pages/api/x.ts'), scenario.endpoint);
	const { build } = await import(path.join(tree, 'build.mjs'));
	return (await build({ root, out: path.join(root, 'dist'), logger: null })).out;
}

function bareSite() {
	const root = path.join(tmp, 'bare');
	fs.mkdirSync(root);
	fs.writeFileSync(path.join(root, 'index.html'), BARE_PAGE);
	fs.writeFileSync(
		path.join(root, 'sw.js'),
		`self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => { if (new URL(event.request.url).pathname.startsWith('/api/')) ${scenario.bare}; });
`,
	);
	return root;
}

/** In the page: one fetch, timed (ms). */
async function once({ init }) {
	const start = performance.now();
	const response = await fetch('/api/x', init);
	await response.text();
	if (!response.ok) throw new Error(`status ${response.status}`);
	return performance.now() - start;
}

/** The median of `count` first requests after the browser stopped the page's worker. */
async function coldMedian(context, page, count, init) {
	const cdp = await context.newCDPSession(page);
	const versions = new Map();
	cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => {
		for (const v of updated) versions.set(v.versionId, v.runningStatus);
	});
	await cdp.send('ServiceWorker.enable');
	const samples = [];
	for (let i = 0; i < count; i++) {
		await cdp.send('ServiceWorker.stopAllWorkers');
		while (versions.size === 0 || ![...versions.values()].every((status) => status === 'stopped')) await new Promise((r) => setTimeout(r, 10));
		await new Promise((r) => setTimeout(r, 100));
		samples.push(await page.evaluate(once, { init }));
	}
	await cdp.detach();
	return median(samples);
}

/** In the page: `total` fetches, `inFlight` at a time; resolves with the milliseconds taken. */
function timed({ total, inFlight, init }) {
	let issued = 0;
	const start = performance.now();
	const loop = async () => {
		while (issued++ < total) {
			const response = await fetch('/api/x', init);
			if (!response.ok) throw new Error(`status ${response.status}`);
			await response.text();
		}
	};
	return Promise.all(Array.from({ length: inFlight }, loop)).then(() => performance.now() - start);
}

const servers = [];
let browser;
try {
	execFileSync('git', ['-C', repo, 'worktree', 'add', '--detach', '-q', worktree, rev], { stdio: 'inherit' });
	fs.symlinkSync(path.join(repo, 'node_modules'), path.join(worktree, 'node_modules'));
	execFileSync(process.execPath, [path.join(worktree, 'scripts/package.mjs')], { cwd: worktree, stdio: 'ignore' });
	const roots = { bare: bareSite(), [rev]: await site(worktree, 'at-rev'), 'working tree': await site(repo, 'at-tree') };
	const urls = {};
	for (const [name, root] of Object.entries(roots)) {
		const server = await serveStatic({ root, port: 0 });
		servers.push(server);
		urls[name] = server.url;
	}
	browser = await chromium.launch(launchOptions());
	const times = Object.fromEntries(Object.keys(urls).map((name) => [name, []]));
	for (let round = 0; round < rounds; round++) {
		for (const [name, url] of Object.entries(urls)) {
			const context = await browser.newContext();
			const page = await context.newPage();
			await page.goto(`${url}/`);
			await page.waitForFunction(() => window.ready === true);
			const run = { total: requests, inFlight: IN_FLIGHT, init: scenario.init };
			await page.evaluate(timed, coldRequests ? { ...run, total: 200 } : run);
			times[name].push(coldRequests ? await coldMedian(context, page, coldRequests, scenario.init) : await page.evaluate(timed, run));
			await context.close();
		}
	}
	const bare = median(times.bare);
	if (coldRequests) {
		console.log(
			`${values.scenario}: first request after a stop, median of ${coldRequests} per round, median of ${rounds} interleaved rounds (Chromium ${browser.version()})`,
		);
		for (const [name, list] of Object.entries(times)) {
			const ms = median(list);
			console.log(`${name.padEnd(14)} ${ms.toFixed(1).padStart(6)} ms   ${(ms / bare).toFixed(2)}× bare   rounds: ${list.map((v) => v.toFixed(1)).join(', ')}`);
		}
	} else {
		console.log(`${values.scenario}: ${requests} requests, ${IN_FLIGHT} in flight, median of ${rounds} interleaved rounds (Chromium ${browser.version()})`);
		for (const [name, list] of Object.entries(times)) {
			const ms = median(list);
			console.log(
				`${name.padEnd(14)} ${String(Math.round(ms)).padStart(6)} ms   throughput ${(bare / ms).toFixed(2)}× bare   rounds: ${list.map(Math.round).join(', ')}`,
			);
		}
	}
} finally {
	await browser?.close();
	for (const server of servers) await server.close();
	execFileSync('git', ['-C', repo, 'worktree', 'remove', '--force', worktree], { stdio: 'ignore' });
	fs.rmSync(tmp, { recursive: true, force: true });
}
