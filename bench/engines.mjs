#!/usr/bin/env node
// Benchmark, other engines: the same ratios as bench/run.mjs measures in Chromium
// (scenario / bare worker, same run), in Firefox (stock firefox-esr over WebDriver
// BiDi) and WebKit (WebKitGTK's MiniBrowser over WebDriver), through the
// tests/engines harness. bench/run.mjs runs this after its Chromium rounds, on the
// sites it already serves; alone it builds and serves them itself:
//
//   node bench/engines.mjs            (SW_ENGINES=firefox narrows it)
//
// Per engine and round, one fresh browser (fresh profile); in it, each scenario
// (bare, get, post, session, routes1000, and Hono's for context: each its own port, so its own origin and
// registration) in a fresh page: correctness check, warm-up, sequential fetches
// (p50), then fetches with 50 in flight (throughput). Rounds are interleaved
// (round 1: bare, get, ... in Firefox, then in WebKit; round 2: ...). Reported
// like run.mjs: medians across rounds, ratio = median / bare's median, plus each
// figure's spread (min–max over rounds). The goal here is the issue's: p50 ratio
// ≤ 1.25× and throughput ratio ≥ 0.8× in every engine; a worse ratio is a finding.
// No cold-start numbers: WebKitGTK offers automation no way to stop a worker.
//
// Timer precision. Firefox and WebKit round performance.now() to 1 ms in a page
// that is not cross-origin isolated, which would make a sub-millisecond p50
// meaningless. The harness cannot rewrite responses the way Playwright's route
// does for Chromium (and the static server has no header option), so each site is
// reached through a small proxy that adds COOP/COEP to its HTML documents (the
// measured fetches never reach it: the worker answers them). Firefox also gets
// privacy.reduceTimerPrecision off, so its clock stays fine even unisolated. Each
// page measures the clock's smallest step and prints it; an engine whose step is
// coarser than MAX_TIMER_STEP_MS gets throughput only.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveStatic } from '../testing/static-server.mjs';
import { median, printTable } from './stats.mjs';
import {
	BATCH_WAIT_MS,
	CorrectnessError,
	POOL_SIZE,
	ROUNDS,
	STATE_FLOOR_TEXT,
	WAIT_MS,
	floorOf,
	pageOnce,
	pagePooled,
	pageSequential,
	prepareScenarios,
	quantile,
	withTimeout,
} from './run.mjs';

/** @typedef {'firefox' | 'webkit'} BenchEngine */
/**
 * @typedef {{ name: string, path: string, init: RequestInit, expected: string, site: { serveRoot: string }, floor?: boolean, baseline?: string, stateFloor?: string }} Scenario
 * run.mjs's scenario (what this file uses of it): `floor` marks a bare worker's row, `baseline` the floor its ratios divide by (default bare)
 */
/** @typedef {{ round: number, p50: number, p95: number, throughput: number, timerStep: number | null, isolated: boolean }} RoundResult */
/**
 * @typedef {object} EngineRun
 * @property {string} [version]
 * @property {string} [skipped] why the engine was not measured (it could not be launched)
 * @property {Record<string, RoundResult[]>} results per scenario, one entry per round it passed
 * @property {Record<string, string>} failures per scenario: the wrong answer or error that disqualified it
 * @property {string[]} errors launch or settle errors of later rounds (that round was lost)
 */
/** @typedef {{ rounds: number, counts: typeof ENGINE_COUNTS, scenarios: string[], floors: Record<string, string>, stateFloors: Record<string, string>, engines: Partial<Record<BenchEngine, EngineRun>>, totalMs: number }} EngineBenchResult `floors`: per measured scenario, the floor its ratios divide by */

export const ENGINE_NAMES = /** @type {BenchEngine[]} */ (['firefox', 'webkit']);
/** run.mjs's scenarios measured here (routes1000 costs one site build, ~1 s). */
export const ENGINE_SCENARIOS = ['bare', 'bare-post', 'bare-state', 'get', 'post', 'session', 'routes1000', 'hono-get', 'hono-post', 'hono-1000'];
/** Hono 4 in a worker: the peer's figures, for context (no goal, no findings). */
const isContext = (/** @type {string} */ scenario) => scenario.startsWith('hono-');
/**
 * Far fewer requests than run.mjs (200 / 2000 / 2000): here a fetch a worker
 * answers takes ~5 ms in Firefox and ~20 ms in WebKit's session scenario on a
 * shared 2-CPU machine, and two engines × 3 rounds × 5 scenarios should fit in
 * about 3 minutes. 300 samples put the p50 within a few samples of the true median;
 * 300 requests with 50 in flight are 6 waves, enough for a rate.
 */
export const ENGINE_COUNTS = { warmup: 50, sequential: 300, pooledTotal: 300, poolSize: POOL_SIZE, settle: 100 };
/** The issue's cross-engine goal: a ratio worse than this, in any engine, is a finding. */
export const ENGINE_TARGETS = { p50: 1.25, throughput: 0.8 };
/** A clock stepping coarser than this (ms) quantizes a p50 of a few tenths of a ms too much to compare against 1.25×. */
const MAX_TIMER_STEP_MS = 0.05;
/** Added to the sites' HTML documents: a cross-origin-isolated page gets a 20 µs clock in Firefox and WebKit instead of 1 ms. */
const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
/** Firefox prefs: its clock unrounded (down to its unconditional 20 µs) whether or not the page is isolated. */
const FIREFOX_PREFS = { 'privacy.reduceTimerPrecision': false };

/** The engines to measure: SW_ENGINES (the variable npm test and ensure-browsers read) narrows them, as it does the tests; chromium in it is run.mjs's. */
export function enginesFromEnv() {
	const wanted = process.env.SW_ENGINES?.split(',').map((s) => s.trim());
	return wanted ? ENGINE_NAMES.filter((e) => wanted.includes(e)) : ENGINE_NAMES;
}

/** Launchers by engine; imported on demand so a missing driver package fails one engine, not the module. */
const LAUNCH = {
	firefox: async () => (await import('../tests/engines/firefox.mjs')).launchFirefox({ prefs: FIREFOX_PREFS }),
	webkit: async () => (await import('../tests/engines/webkit.mjs')).launchWebKit(),
};

/**
 * Serves `target` (a static server's URL) again on a port of its own, adding
 * ISOLATION_HEADERS to HTML responses. A new port is a new origin, so this is
 * also how the settling batch gets an origin of its own.
 * @param {string} target
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
async function serveIsolated(target) {
	const { hostname, port } = new URL(target);
	const server = http.createServer((req, res) => {
		const upstream = http.request({ host: hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
			const headers = { ...answer.headers };
			if (String(answer.headers['content-type'] ?? '').startsWith('text/html')) Object.assign(headers, ISOLATION_HEADERS);
			res.writeHead(answer.statusCode ?? 502, headers);
			answer.pipe(res);
		});
		upstream.on('error', (error) => {
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`bench proxy: ${error.message}`);
		});
		req.pipe(upstream);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}/`,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** In the page: the smallest non-zero step of performance.now() seen in 20 ms of spinning (null if it never moved), whether the page is cross-origin isolated, and whether a worker controls it. */
function pageTimer() {
	let step = Infinity;
	let last = performance.now();
	const end = last + 20;
	for (let t = last; t < end; t = performance.now()) {
		if (t !== last) {
			step = Math.min(step, t - last);
			last = t;
		}
	}
	return {
		step: step === Infinity ? null : Math.round(step * 1e6) / 1e6,
		isolated: self.crossOriginIsolated === true,
		controlled: navigator.serviceWorker.controller !== null,
	};
}

/**
 * The last console lines of a browser, for an error message.
 * @param {import('../tests/engines/index.mjs').EngineBrowser} browser
 */
async function logTail(browser) {
	const lines = await withTimeout(browser.logs(), 5000, 'the browser logs').catch(() => []);
	return lines.length ? `\n  last console lines:\n    ${lines.slice(-5).join('\n    ')}` : '';
}

/**
 * Loads a scenario's page in a fresh tab and waits for its worker to control it.
 * @param {import('../tests/engines/index.mjs').EngineBrowser} browser
 * @param {Scenario} scenario
 * @param {string} url
 */
async function openReady(browser, scenario, url) {
	const page = await withTimeout(browser.newPage(), WAIT_MS, `${scenario.name}: a new page`);
	try {
		await withTimeout(page.goto(url), WAIT_MS, `${scenario.name}: loading ${url}`);
		await page
			.waitFor(() => window.ready === true || window.startError !== undefined, { timeout: WAIT_MS })
			.catch((error) => {
				throw new Error(`${scenario.name}: the worker did not take control of the page within ${WAIT_MS} ms (${error.message.split('\n')[0]})`);
			});
		const startError = await page.evaluate(() => window.startError);
		if (startError) throw new CorrectnessError(`${scenario.name}: the page could not start its worker: ${startError}`);
		return page;
	} catch (error) {
		await page.close().catch(() => {});
		throw error;
	}
}

/**
 * Checks one request end to end, as run.mjs's verify() does with what the harness
 * can see: status 200, exact body, JSON content type, the page controlled by a
 * worker, and no file at that path on the static server (which answers 404 or 405
 * there), so only the worker can have given the right answer.
 * @param {import('../tests/engines/index.mjs').EnginePage} page
 * @param {Scenario} scenario
 * @param {{ controlled: boolean }} timer
 */
async function verify(page, scenario, timer) {
	const once = await withTimeout(page.evaluate(pageOnce, scenario), WAIT_MS, `${scenario.name}: the correctness request`);
	const problems = [];
	if (!timer.controlled) problems.push('no service worker controls the page');
	if (fs.existsSync(path.join(scenario.site.serveRoot, ...scenario.path.split('/'))))
		problems.push('the static server has a file at this path, so a right answer proves nothing');
	if (once.status !== 200) problems.push(`status ${once.status}`);
	if (!once.ok) problems.push(`unexpected body ${JSON.stringify(once.text)}`);
	if (!once.type?.includes('application/json')) problems.push(`content-type ${once.type}`);
	if (problems.length) throw new CorrectnessError(`${scenario.name}: ${scenario.init.method} ${scenario.path}: ${problems.join('; ')}`);
}

/**
 * Runs one scenario in a fresh page of `browser`: check, warm-up, sequential, pooled.
 * @param {import('../tests/engines/index.mjs').EngineBrowser} browser
 * @param {Scenario} scenario
 * @param {string} url
 * @param {typeof ENGINE_COUNTS} counts
 * @param {number} round 1-based, kept with the numbers so ratios pair rounds even when one was lost
 * @returns {Promise<RoundResult>}
 */
async function measureScenario(browser, scenario, url, counts, round) {
	const page = await openReady(browser, scenario, url);
	try {
		const timer = await page.evaluate(pageTimer);
		await verify(page, scenario, timer);
		// Warm-up first: JIT, the worker's lazy module init and the browser's IPC paths settle before timing.
		const warm = await withTimeout(page.evaluate(pageSequential, { ...scenario, count: counts.warmup }), BATCH_WAIT_MS, `${scenario.name}: warm-up`);
		const seq = await withTimeout(
			page.evaluate(pageSequential, { ...scenario, count: counts.sequential }),
			BATCH_WAIT_MS,
			`${scenario.name}: sequential fetches`,
		);
		const pooled = await withTimeout(
			page.evaluate(pagePooled, { ...scenario, total: counts.pooledTotal, poolSize: counts.poolSize }),
			BATCH_WAIT_MS,
			`${scenario.name}: pooled fetches`,
		);
		const wrong = warm.wrong + seq.wrong + pooled.wrong;
		const all = counts.warmup + counts.sequential + counts.pooledTotal;
		if (wrong) throw new CorrectnessError(`${scenario.name}: ${wrong} of ${all} measured requests got a wrong answer`);
		return {
			round,
			p50: quantile(seq.latencies, 0.5),
			p95: quantile(seq.latencies, 0.95),
			throughput: (counts.pooledTotal / pooled.ms) * 1000,
			timerStep: timer.step,
			isolated: timer.isolated,
		};
	} finally {
		await page.close().catch(() => {});
	}
}

/**
 * A batch on bare's site under an origin of its own, numbers discarded: a browser
 * just launched is still busy starting up, which would slow whichever scenario
 * comes first (bare, each round) and skew its ratios.
 * @param {import('../tests/engines/index.mjs').EngineBrowser} browser
 * @param {Scenario} bare
 * @param {string} url
 * @param {typeof ENGINE_COUNTS} counts
 */
async function settle(browser, bare, url, counts) {
	const page = await openReady(browser, { ...bare, name: 'settle (bare, own origin)' }, url);
	try {
		await withTimeout(page.evaluate(pageSequential, { ...bare, count: counts.settle }), BATCH_WAIT_MS, 'the settling batch');
	} finally {
		await page.close().catch(() => {});
	}
}

/**
 * Measures `scenarios` (run.mjs's, bare first; those not in ENGINE_SCENARIOS are
 * left out) in Firefox and WebKit, `rounds` interleaved rounds, each round a fresh
 * browser per engine. `urls` are the scenarios' served URLs (ending in /).
 * @param {{ engines?: BenchEngine[], scenarios: Scenario[], urls: Record<string, string>, rounds?: number, counts?: typeof ENGINE_COUNTS, signal?: AbortSignal }} options
 * @returns {Promise<EngineBenchResult>}
 */
export async function runEngineBench({ engines = ENGINE_NAMES, scenarios, urls, rounds = ROUNDS, counts = ENGINE_COUNTS, signal }) {
	const started = performance.now();
	const chosen = scenarios.filter((s) => ENGINE_SCENARIOS.includes(s.name));
	const bare = chosen.find((s) => s.name === 'bare');
	if (!bare) throw new Error('runEngineBench: the scenarios have no bare (the floor the ratios need)');
	/** @type {EngineBenchResult} */
	const result = {
		rounds,
		counts,
		scenarios: chosen.map((s) => s.name),
		floors: Object.fromEntries(chosen.filter((s) => !s.floor).map((s) => [s.name, floorOf(s)])),
		stateFloors: Object.fromEntries(chosen.filter((s) => s.stateFloor).map((s) => [s.name, s.stateFloor])),
		engines: {},
		totalMs: 0,
	};
	for (const name of engines) result.engines[name] = { results: Object.fromEntries(chosen.map((s) => [s.name, []])), failures: {}, errors: [] };

	/** @type {Array<{ url: string, close(): Promise<void> }>} */
	const proxies = [];
	/** @type {import('../tests/engines/index.mjs').EngineBrowser | undefined} */
	let browser;
	const onAbort = () => void browser?.close();
	signal?.addEventListener('abort', onAbort);
	try {
		/** @type {Record<string, string>} */
		const isolated = {};
		for (const s of chosen) {
			const proxy = await serveIsolated(urls[s.name]);
			proxies.push(proxy);
			isolated[s.name] = proxy.url;
		}
		const settleProxy = await serveIsolated(urls.bare);
		proxies.push(settleProxy);

		for (let round = 0; round < rounds; round++) {
			for (const name of engines) {
				const run = /** @type {EngineRun} */ (result.engines[name]);
				if (run.skipped || signal?.aborted) continue;
				const t0 = performance.now();
				try {
					browser = await LAUNCH[name]();
					run.version = browser.version;
				} catch (error) {
					const message = String(error?.message ?? error)
						.split('\n')
						.slice(0, 3)
						.join(' / ');
					// Round 1: the engine is not usable here; later: a lost round, not a skip.
					if (round === 0) {
						run.skipped = `cannot launch ${name}: ${message}`;
						console.log(`[bench] ${name} skipped: ${run.skipped}`);
					} else {
						run.errors.push(`round ${round + 1}: launch failed: ${message}`);
						console.error(`[bench] ${name} round ${round + 1}: launch failed: ${message}`);
					}
					continue;
				}
				try {
					await settle(browser, bare, settleProxy.url, counts);
					for (const s of chosen) {
						if (run.failures[s.name] || signal?.aborted) continue;
						const ts = performance.now();
						try {
							const r = await measureScenario(browser, s, isolated[s.name], counts, round + 1);
							run.results[s.name].push(r);
							const timer = r.timerStep === null ? 'clock never moved' : `clock step ${(r.timerStep * 1000).toFixed(0)} µs${r.isolated ? ', isolated' : ''}`;
							console.log(
								`[bench] ${name} round ${round + 1} ${s.name.padEnd(10)} p50 ${r.p50.toFixed(3)} ms  ${Math.round(r.throughput)}/s  (${timer}; ${((performance.now() - ts) / 1000).toFixed(1)} s)`,
							);
						} catch (error) {
							if (signal?.aborted) throw error;
							const wrong = error instanceof CorrectnessError;
							run.failures[s.name] = `${wrong ? 'wrong answer' : 'error'}: ${error?.message ?? error}${await logTail(browser)}`;
							console.error(`[bench] ${name} ${wrong ? 'CORRECTNESS FAILURE' : 'ERROR'} ${run.failures[s.name]}`);
							// A browser that timed out may be wedged: end its round rather than wait on it scenario after scenario.
							if (!wrong) break;
						}
					}
				} catch (error) {
					if (signal?.aborted) break;
					run.errors.push(`round ${round + 1}: ${error?.message ?? error}`);
					console.error(`[bench] ${name} round ${round + 1}: ${error?.message ?? error}${await logTail(browser)}`);
				} finally {
					await browser.close().catch(() => {});
					browser = undefined;
				}
				console.log(`[bench] ${name} round ${round + 1} done in ${((performance.now() - t0) / 1000).toFixed(1)} s (launch and close included)`);
			}
		}
	} finally {
		signal?.removeEventListener('abort', onAbort);
		await browser?.close().catch(() => {});
		await Promise.all(proxies.map((p) => p.close().catch(() => {})));
	}
	result.totalMs = performance.now() - started;
	return result;
}

/** @param {number[]} values */
const range = (values) => [Math.min(...values), Math.max(...values)];

/** Formats ms with 3 decimals, or throughput as requests/s. */
function fmtValue(metric, value) {
	if (value === undefined || Number.isNaN(value)) return 'n/a';
	return metric === 'throughput' ? `${Math.round(value)}/s` : `${value.toFixed(3)} ms`;
}

/** A median with its min–max over rounds. */
function fmtSpread(metric, med, [min, max]) {
	const unit = metric === 'throughput' ? '/s' : '';
	const text = (v) => (metric === 'throughput' ? String(Math.round(v)) : v.toFixed(3));
	return `${fmtValue(metric, med)} (${text(min)}–${text(max)}${unit})`;
}

/** A ratio of medians, its verdict against the goal, and the per-round ratios' min–max. */
function fmtRatio(metric, ratio, [min, max]) {
	if (ratio === undefined || Number.isNaN(ratio)) return 'n/a';
	const pass = metric === 'p50' ? ratio <= ENGINE_TARGETS.p50 : ratio >= ENGINE_TARGETS.throughput;
	return `${ratio.toFixed(2)}× ${pass ? '✓' : '✗'} (rounds ${min.toFixed(2)}–${max.toFixed(2)})`;
}

/**
 * Prints a table per engine and returns the JSON summary (BENCH_JSON's `engines`):
 * per engine and scenario the rounds, medians, min–max, ratios to bare (ratio of
 * medians, as run.mjs) with the per-round ratios' min–max, and the goal verdicts.
 * `failed` lists what should fail the run (wrong answers and errors, not skips).
 * @param {EngineBenchResult} result
 */
export function reportEngineBench(result) {
	const { counts } = result;
	const summary = {
		rounds: result.rounds,
		settings: counts,
		targets: ENGINE_TARGETS,
		maxTimerStepMs: MAX_TIMER_STEP_MS,
		totalMs: Math.round(result.totalMs),
		engines: /** @type {Record<string, any>} */ ({}),
		findings: /** @type {string[]} */ ([]),
		failed: /** @type {string[]} */ ([]),
	};
	for (const [name, run] of Object.entries(result.engines)) {
		if (!run) continue;
		if (run.skipped) {
			console.log(`\n${name}: not measured (${run.skipped})`);
			summary.engines[name] = { skipped: run.skipped };
			continue;
		}
		const all = Object.values(run.results).flat();
		const steps = all.map((r) => r.timerStep).filter((s) => s !== null);
		// The coarsest step any page saw: one coarse page is enough to distrust its p50.
		const timerStep = steps.length ? Math.max(...steps) : null;
		const isolated = all.length > 0 && all.every((r) => r.isolated);
		const p50Usable = timerStep !== null && timerStep <= MAX_TIMER_STEP_MS;
		const metrics = p50Usable ? ['p50', 'throughput'] : ['throughput'];
		const engine = {
			version: run.version,
			timer: { stepMs: timerStep, isolated, p50Reported: p50Usable },
			errors: run.errors,
			scenarios: /** @type {Record<string, any>} */ ({}),
		};
		summary.engines[name] = engine;

		const bareRounds = run.results.bare ?? [];
		/** A floor's rounds and medians (bare, or bare-post for the POST rows). */
		const floorStats = (/** @type {string} */ floor) => {
			const rounds = run.results[floor] ?? [];
			return { rounds, median: rounds.length ? { p50: median(rounds.map((r) => r.p50)), throughput: median(rounds.map((r) => r.throughput)) } : undefined };
		};
		const timerText =
			timerStep === null
				? 'clock never moved'
				: `clock step ${(timerStep * 1000).toFixed(0)} µs${isolated ? ', pages cross-origin isolated' : ', pages NOT isolated'}`;
		console.log(
			`\n${run.version ?? name}: median of ${bareRounds.length || result.rounds} rounds (min–max over rounds), ratio = scenario / its floor (bare-post for POST rows, else bare; ratio of medians, as for Chromium; ` +
				`per-round ratios' min–max after it); goal: p50 ≤ ${ENGINE_TARGETS.p50}×, throughput ≥ ${ENGINE_TARGETS.throughput}×; ${timerText}`,
		);
		const rows = [];
		for (const scenario of result.scenarios) {
			const rounds = run.results[scenario] ?? [];
			const failure = run.failures[scenario];
			/** @type {Record<string, any>} */
			const entry = { rounds, failed: failure };
			engine.scenarios[scenario] = entry;
			if (failure) summary.failed.push(`${name} ${scenario}`);
			if (!rounds.length) {
				rows.push([scenario, failure ? 'FAILED (see below)' : 'no rounds', '', '', '']);
				continue;
			}
			const floorName = result.floors[scenario];
			const floor = floorName ? floorStats(floorName) : undefined;
			entry.median = {};
			entry.spread = {};
			entry.ratio = {};
			entry.ratioSpread = {};
			entry.pass = {};
			const cells = [];
			for (const metric of ['p50', 'throughput']) {
				const values = rounds.map((r) => r[metric]);
				entry.median[metric] = median(values);
				entry.spread[metric] = range(values);
				if (!metrics.includes(metric)) {
					cells.push(`n/a (clock step ${timerStep === null ? '?' : `${timerStep} ms`})`, '');
					continue;
				}
				cells.push(fmtSpread(metric, entry.median[metric], entry.spread[metric]));
				if (!floor?.median) {
					cells.push('');
					continue;
				}
				// Per-round ratios pair each round with its floor of the same round (same browser), as run.mjs prints them.
				const perRound = rounds.flatMap((r) => {
					const b = floor.rounds.find((x) => x.round === r.round);
					return b ? [r[metric] / b[metric]] : [];
				});
				const ratio = entry.median[metric] / floor.median[metric];
				entry.ratio[metric] = ratio;
				entry.ratioSpread[metric] = perRound.length ? range(perRound) : undefined;
				if (isContext(scenario)) {
					cells.push(`${ratio.toFixed(2)}× (${entry.ratioSpread[metric]?.map((v) => v.toFixed(2)).join('–') ?? 'n/a'})`);
					continue;
				}
				entry.pass[metric] = metric === 'p50' ? ratio <= ENGINE_TARGETS.p50 : ratio >= ENGINE_TARGETS.throughput;
				cells.push(fmtRatio(metric, ratio, entry.ratioSpread[metric] ?? [NaN, NaN]));
				if (!entry.pass[metric]) {
					// Worse in every round is a finding the noise cannot explain away; worse in the median only may be noise.
					const everyRound = perRound.every((v) => (metric === 'p50' ? v > ENGINE_TARGETS.p50 : v < ENGINE_TARGETS.throughput));
					summary.findings.push(
						`${name} ${scenario}: ${metric} ratio ${ratio.toFixed(2)}× (goal ${metric === 'p50' ? `≤ ${ENGINE_TARGETS.p50}` : `≥ ${ENGINE_TARGETS.throughput}`}×; ` +
							`${everyRound ? 'worse in every round' : 'not in every round'})`,
					);
				}
			}
			rows.push([scenario, cells[0], cells[1], cells[2], cells[3]]);
		}
		printTable(['scenario', 'p50', 'p50 ratio', `throughput (${counts.poolSize} in flight)`, 'throughput ratio'], rows);
		if (!p50Usable) {
			console.log(
				`  p50 not reported: the page clock steps by ${timerStep === null ? 'an unknown amount' : `${timerStep} ms`} (over ${MAX_TIMER_STEP_MS} ms), too coarse for sub-millisecond latencies; throughput is measured over the whole batch and stays meaningful.`,
			);
		}
		for (const [scenario, message] of Object.entries(run.failures)) console.log(`  ${scenario} FAILED: ${message}`);
		for (const [scenario, stateFloor] of Object.entries(result.stateFloors)) {
			const own = engine.scenarios[scenario]?.median;
			const floor = floorStats(stateFloor).median;
			if (!own || !floor) continue;
			const beyond = { p50: own.p50 / floor.p50, throughput: own.throughput / floor.throughput };
			engine.scenarios[scenario].beyondStateFloor = { floor: stateFloor, ratio: beyond };
			console.log(
				`  ${scenario} / ${stateFloor} (${STATE_FLOOR_TEXT}): ` +
					metrics.map((m) => `${m} ${beyond[/** @type {'p50' | 'throughput'} */ (m)].toFixed(2)}×`).join(', '),
			);
		}
		for (const error of run.errors) console.log(`  lost ${error}`);
		if (bareRounds.length > 1) {
			// As run.mjs: (max - min) / median of bare's rounds; half of it printed as ±.
			engine.bareSpread = Object.fromEntries(
				metrics.map((m) => {
					const values = bareRounds.map((r) => r[m]);
					return [m, (Math.max(...values) - Math.min(...values)) / median(values)];
				}),
			);
			const noise = Object.entries(engine.bareSpread).map(([m, spread]) => `${m} ±${((spread / 2) * 100).toFixed(0)}%`);
			console.log(
				`  Noise: bare's own spread across rounds (half of max-min, over the median): ${noise.join(', ')}; a ratio closer to its goal than this is not conclusive.`,
			);
		}
	}
	console.log(
		`\nEngines: ${counts.warmup} warm-up, ${counts.sequential} sequential (p50), ${counts.pooledTotal} with ${counts.poolSize} in flight (throughput) per scenario and round; ` +
			`${result.rounds} rounds, a fresh browser per engine and round (${(result.totalMs / 1000).toFixed(1)} s).`,
	);
	const measured = Object.values(result.engines).filter((run) => run && !run.skipped).length;
	if (summary.findings.length) console.log(`Findings (a ratio worse than the goal):\n  ${summary.findings.join('\n  ')}`);
	else console.log(measured ? 'No findings: every ratio measured meets the goal.' : 'No engine was measured.');
	return summary;
}

/** Alone: builds run.mjs's scenario sites, serves them, runs the engines and prints BENCH_JSON { engines }. */
async function main() {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-bench-engines-'));
	/** @type {Array<{ close(): Promise<void> }>} */
	const servers = [];
	const controller = new AbortController();
	const interrupt = () => {
		console.error('\n[bench] interrupted; cleaning up');
		process.exitCode = 130;
		controller.abort();
	};
	process.once('SIGINT', interrupt);
	process.once('SIGTERM', interrupt);
	try {
		console.log('[bench] building sites…');
		const scenarios = (await prepareScenarios(tmp)).filter((s) => ENGINE_SCENARIOS.includes(s.name));
		/** @type {Record<string, string>} */
		const urls = {};
		for (const s of scenarios) {
			const server = await serveStatic({ root: s.site.serveRoot, port: 0 });
			servers.push(server);
			urls[s.name] = `${server.url}/`;
		}
		const engines = enginesFromEnv();
		console.log(`[bench] Node ${process.version}, ${os.cpus().length} CPUs; ${ROUNDS} rounds × ${scenarios.length} scenarios × ${engines.join(', ')}`);
		const result = await runEngineBench({ engines, scenarios, urls, signal: controller.signal });
		if (controller.signal.aborted) return;
		const summary = reportEngineBench(result);
		console.log(`BENCH_JSON ${JSON.stringify({ engines: summary })}`);
		if (summary.failed.length) {
			console.error(`[bench] ${summary.failed.length} engine scenario(s) failed: ${summary.failed.join(', ')}`);
			process.exitCode = 1;
		}
	} finally {
		process.off('SIGINT', interrupt);
		process.off('SIGTERM', interrupt);
		await Promise.all(servers.map((s) => s.close().catch(() => {})));
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	main().catch((error) => {
		if (process.exitCode === 130) return;
		console.error(`[bench] failed: ${error?.stack ?? error}`);
		process.exitCode = 1;
	});
}
