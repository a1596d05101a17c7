#!/usr/bin/env node
// Benchmark (not a test): sw-endpoints' setupEmulator against MSW's setupServer
// in Vitest, on the same test file, in one run on the same machine.
//
//   node bench/vitest/run.mjs        (also part of `npm run bench`)
//
// Variants, each a `vitest run --config bench/vitest/vitest.config.mjs` process:
//   - requests.test.ts, 1000 requests (product list, product by id, add to cart in
//     the session with a cookie, read the cart), with setupEmulator over
//     bench/vitest/project or setupServer with the same handlers (msw-handlers.ts),
//     under happy-dom and under node. Reported: the 1000 requests timed inside the
//     test, the setup (library import + bundling, or + handler set-up), the file
//     (setup start → last request) and the process (spawn → exit), each as a ratio
//     sw-endpoints / MSW (target ≤ 1).
//   - reset.test.ts, 500 tests of one request with setupEmulator's reset after each
//     test and without (resetAfterEach: false), then reset() timed on its own
//     against the requests that filled the state it clears.
// Rounds are interleaved (each pair in alternating order, then the reset pair)
// because the machine is shared and noisy; medians across rounds are reported.
// Run directly, the last line is `BENCH_JSON {"vitest": ...}` for tools.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, printTable } from '../stats.mjs';

const ROUNDS = 5;
const ENVIRONMENTS = ['happy-dom', 'node'];
const MOCKS = /** @type {const} */ (['endpoints', 'msw']);
const LABEL = { endpoints: 'sw-endpoints', msw: 'MSW' };
/** Ratios sw-endpoints / MSW: "at least as fast". */
const TARGET_RATIO = 1;
/** Upper bound for one Vitest process (a few seconds normally). */
const PROCESS_WAIT_MS = 120_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const CONFIG = path.join(here, 'vitest.config.mjs');
const VITEST = path.join(repo, 'node_modules', '.bin', 'vitest');

const fmtMs = (ms) => (ms === undefined || Number.isNaN(ms) ? 'n/a' : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);
const fmtUs = (ms) => (ms === undefined || Number.isNaN(ms) ? 'n/a' : `${Math.round(ms * 1000)} µs`);
const fmtRatio = (ratio) =>
	ratio === undefined || Number.isNaN(ratio) ? 'n/a' : `${ratio.toFixed(2)}× ${ratio <= TARGET_RATIO ? '✓' : '✗'} (≤${TARGET_RATIO.toFixed(2)})`;

/** The version field of an installed package, for the report. */
const versionOf = (name) => JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', name, 'package.json'), 'utf8')).version;

/**
 * Runs one Vitest process for a variant and returns what its test file wrote plus
 * the process's wall time. Rejects with Vitest's output when it fails.
 * @param {Record<string, string>} variant BENCH_VITEST_* settings (see vitest.config.mjs)
 */
async function runVariant(variant, dir, signal) {
	const out = path.join(dir, `${Object.values(variant).join('-')}.json`);
	fs.rmSync(out, { force: true });
	const env = { ...process.env, ...variant, BENCH_VITEST_OUT: out, NO_COLOR: '1', FORCE_COLOR: '0' };
	const started = performance.now();
	// The bench's own Node runs the CLI, whatever `node` PATH would find.
	const output = await new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			[VITEST, 'run', '--config', CONFIG, '--reporter=dot'],
			{ cwd: repo, env, timeout: PROCESS_WAIT_MS, maxBuffer: 16 * 1024 * 1024, signal },
			(error, stdout, stderr) => {
				const text = `${stdout}${stderr}`.trim();
				if (error)
					reject(
						new Error(
							`vitest ${JSON.stringify(variant)} ${error.killed ? `killed after ${PROCESS_WAIT_MS} ms` : `exited ${error.code}`}:\n${text.split('\n').slice(-40).join('\n')}`,
						),
					);
				else resolve(text);
			},
		);
	});
	const processMs = performance.now() - started;
	if (!fs.existsSync(out)) throw new Error(`vitest ${JSON.stringify(variant)} passed but wrote no figures to ${out}:\n${output}`);
	return { ...JSON.parse(fs.readFileSync(out, 'utf8')), processMs };
}

/**
 * Runs every variant `rounds` times, interleaved, and returns the raw figures.
 * A variant that fails is left out of the later rounds and listed in `failures`.
 * @param {{ rounds?: number, signal?: AbortSignal }} [options]
 */
export async function runVitestBench({ rounds = ROUNDS, signal } = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-vitest-bench-'));
	const started = performance.now();
	/** @type {Record<string, Record<string, any[]>>} environment → mock → per-round results */
	const requests = Object.fromEntries(ENVIRONMENTS.map((env) => [env, { endpoints: [], msw: [] }]));
	const reset = { on: [], off: [] };
	/** @type {Map<string, string>} */
	const failures = new Map();
	const attempt = async (round, name, variant, log) => {
		if (failures.has(name)) return undefined;
		const t0 = performance.now();
		try {
			const result = await runVariant(variant, dir, signal);
			console.log(`[bench] vitest round ${round + 1} ${name.padEnd(22)} ${log(result)}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
			return result;
		} catch (error) {
			if (signal?.aborted) throw error;
			failures.set(name, error.message);
			console.error(`[bench] vitest ${name} FAILED: ${error.message}`);
			return undefined;
		}
	};
	console.log(`[bench] vitest: ${rounds} rounds × (${ENVIRONMENTS.length} environments × sw-endpoints/MSW, reset on/off)`);
	try {
		for (let round = 0; round < rounds; round++) {
			for (const environment of ENVIRONMENTS) {
				// Alternating which goes first cancels any advantage of running right after the other.
				const order = round % 2 ? [...MOCKS].reverse() : MOCKS;
				for (const mock of order) {
					const name = `${LABEL[mock]}/${environment}`;
					const result = await attempt(
						round,
						name,
						{ BENCH_VITEST_FILE: 'requests', BENCH_VITEST_MOCK: mock, BENCH_VITEST_ENV: environment },
						(r) => `${r.requests} requests ${fmtMs(r.requestsMs)}  setup ${fmtMs(r.setupMs)}  file ${fmtMs(r.fileMs)}  process ${fmtMs(r.processMs)}`,
					);
					if (result) requests[environment][mock][round] = result;
				}
			}
			for (const mode of round % 2 ? ['off', 'on'] : ['on', 'off']) {
				const name = `reset after each ${mode}`;
				const result = await attempt(
					round,
					name,
					{ BENCH_VITEST_FILE: 'reset', BENCH_VITEST_MOCK: 'endpoints', BENCH_VITEST_ENV: 'happy-dom', BENCH_VITEST_RESET: mode },
					(r) => {
						const direct = r.resetMs.length ? `  reset() ${fmtUs(median(r.resetMs))}  request ${fmtUs(median(r.requestMs))}` : '';
						return `${r.tests} tests ${fmtMs(r.testsMs)} (per test ${fmtUs(median(r.testMs))})${direct}`;
					},
				);
				if (result) reset[mode][round] = result;
			}
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	return {
		rounds,
		node: process.version,
		versions: { vitest: versionOf('vitest'), msw: versionOf('msw'), happyDom: versionOf('happy-dom') },
		requests,
		reset,
		failures: Object.fromEntries(failures),
		totalMs: performance.now() - started,
	};
}

/**
 * Prints the per-round and median tables of `runVitestBench`'s figures and returns
 * the JSON summary (medians, ratios, verdicts and the raw rounds).
 * @param {Awaited<ReturnType<typeof runVitestBench>>} raw
 */
export function reportVitestBench(raw) {
	const { rounds, requests, reset } = raw;
	const failures = { ...raw.failures };
	const measures = /** @type {const} */ (['requestsMs', 'setupMs', 'fileMs', 'processMs']);
	const summary = {
		rounds,
		node: raw.node,
		versions: raw.versions,
		targetRatio: TARGET_RATIO,
		requests: {},
		reset: undefined,
		failures,
		totalMs: Math.round(raw.totalMs),
	};

	// Both mocks must have answered the same 1000 responses, byte for byte.
	const digests = new Set(ENVIRONMENTS.flatMap((env) => MOCKS.flatMap((mock) => requests[env][mock].filter(Boolean).map((r) => r.digest))));
	if (digests.size > 1) failures.responses = `the variants answered differently (${digests.size} distinct digests of the 1000 responses)`;
	summary.sameResponses = digests.size === 1;

	console.log('\nVitest: 1000 requests per file, per round (ratio sw-endpoints / MSW of the same round in brackets)');
	const roundRows = [];
	for (let round = 0; round < rounds; round++) {
		for (const env of ENVIRONMENTS) {
			for (const mock of MOCKS) {
				const r = requests[env][mock][round];
				const msw = requests[env].msw[round];
				if (!r) continue;
				const cell = (m) => `${fmtMs(r[m])}${mock === 'endpoints' && msw ? ` [${(r[m] / msw[m]).toFixed(2)}]` : ''}`;
				roundRows.push([round + 1, env, LABEL[mock], ...measures.map(cell)]);
			}
		}
	}
	printTable(['round', 'environment', 'mock', '1000 requests', 'setup', 'file', 'process'], roundRows);

	console.log(
		`\nVitest: median of ${rounds} rounds, ratio = sw-endpoints / MSW (target ≤ ${TARGET_RATIO.toFixed(2)}×). ` +
			'1000 requests: timed in the test, setup excluded; setup: library import + setupEmulator (bundling) or setupServer + listen; ' +
			'file: setup start → last request; process: `vitest run` spawn → exit (Vitest start-up included, the same for both)',
	);
	const rows = [];
	for (const env of ENVIRONMENTS) {
		const med = Object.fromEntries(
			MOCKS.map((mock) => {
				const runs = requests[env][mock].filter(Boolean);
				return [mock, runs.length ? Object.fromEntries(measures.map((m) => [m, median(runs.map((r) => r[m]))])) : undefined];
			}),
		);
		const ratio = med.endpoints && med.msw ? Object.fromEntries(measures.map((m) => [m, med.endpoints[m] / med.msw[m]])) : undefined;
		summary.requests[env] = {
			median: med,
			ratio,
			pass: ratio && { requests: ratio.requestsMs <= TARGET_RATIO, file: ratio.fileMs <= TARGET_RATIO },
			// 1000 requests: their total in ms is the mean per request in µs.
			perRequestUs: med.endpoints && med.msw && { endpoints: med.endpoints.requestsMs, msw: med.msw.requestsMs },
			rounds: Object.fromEntries(MOCKS.map((mock) => [mock, requests[env][mock].map((r) => r && Object.fromEntries(measures.map((m) => [m, r[m]])))])),
		};
		const names = { requestsMs: '1000 requests', setupMs: 'setup', fileMs: 'file (setup + requests)', processMs: 'process' };
		for (const m of measures) {
			const withTarget = m === 'requestsMs' || m === 'fileMs';
			rows.push([
				env,
				names[m],
				fmtMs(med.endpoints?.[m]),
				fmtMs(med.msw?.[m]),
				ratio ? (withTarget ? fmtRatio(ratio[m]) : `${ratio[m].toFixed(2)}× (context)`) : 'FAILED (see below)',
			]);
		}
	}
	printTable(['environment', 'measure', 'sw-endpoints', 'MSW', 'ratio'], rows);

	// MSW's own spread says how far the ratios can be trusted on this machine.
	summary.mswSpread = {};
	const spreadParts = [];
	for (const env of ENVIRONMENTS) {
		const runs = requests[env].msw.filter(Boolean);
		if (runs.length < 2) continue;
		const spread = (m) => {
			const values = runs.map((r) => r[m]);
			return (Math.max(...values) - Math.min(...values)) / median(values);
		};
		summary.mswSpread[env] = { requests: spread('requestsMs'), file: spread('fileMs') };
		spreadParts.push(`${env}: 1000 requests ±${((spread('requestsMs') / 2) * 100).toFixed(0)}%, file ±${((spread('fileMs') / 2) * 100).toFixed(0)}%`);
	}
	if (spreadParts.length) console.log(`Noise: MSW's own spread across rounds (half of max-min, over the median): ${spreadParts.join('; ')}`);

	const on = reset.on.filter(Boolean);
	const off = reset.off.filter(Boolean);
	if (on.length) {
		// Every reset() and request of every round pooled: hundreds of samples each.
		const resetMs = median(on.flatMap((r) => r.resetMs));
		const requestMs = median(on.flatMap((r) => r.requestMs));
		const tests = on[0].tests;
		// Per test: the gap between consecutive test starts (the request, the afterEach, Vitest's own work), pooled over rounds.
		const perTestOn = median(on.flatMap((r) => r.testMs));
		const perTestOff = off.length ? median(off.flatMap((r) => r.testMs)) : undefined;
		summary.reset = {
			resetUs: resetMs * 1000,
			requestUs: requestMs * 1000,
			ratioToRequest: resetMs / requestMs,
			samples: on.reduce((n, r) => n + r.resetMs.length, 0),
			perTest: {
				tests,
				resetAfterEachUs: perTestOn * 1000,
				noResetUs: perTestOff === undefined ? undefined : perTestOff * 1000,
				differenceUs: perTestOff === undefined ? undefined : (perTestOn - perTestOff) * 1000,
			},
			rounds: { on: reset.on.map((r) => r && r.testsMs), off: reset.off.map((r) => r && r.testsMs) },
		};
		console.log(`\nVitest: setupEmulator's reset() (happy-dom; median of ${rounds} rounds)`);
		printTable(
			['measure', 'value'],
			[
				[`reset() on its own, after 3 requests that left a session and cookies (median of ${summary.reset.samples})`, fmtUs(resetMs)],
				['one request in the same loop (median)', fmtUs(requestMs)],
				['reset() / one request', `${(resetMs / requestMs).toFixed(2)}×`],
				[`per test, ${tests} tests of 1 request, reset after each (default; median gap between test starts)`, fmtUs(perTestOn)],
				[`per test, ${tests} tests of 1 request, resetAfterEach: false`, fmtUs(perTestOff)],
				[
					'difference per test, default − resetAfterEach: false (within noise when near 0)',
					perTestOff === undefined ? 'n/a' : `${fmtUs(perTestOn - perTestOff)} (${((perTestOn / perTestOff - 1) * 100).toFixed(0)}%)`,
				],
			],
		);
	}
	for (const [name, message] of Object.entries(failures)) console.log(`  ${name} FAILED: ${message.split('\n')[0]}`);
	return summary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	const controller = new AbortController();
	process.once('SIGINT', () => controller.abort());
	try {
		const summary = reportVitestBench(await runVitestBench({ signal: controller.signal }));
		console.log(`\nTotal run time ${(summary.totalMs / 1000).toFixed(1)} s`);
		console.log(`BENCH_JSON ${JSON.stringify({ vitest: summary })}`);
		if (Object.keys(summary.failures).length) process.exitCode = 1;
	} catch (error) {
		if (!controller.signal.aborted) console.error(`[bench] vitest failed: ${error?.stack ?? error}`);
		process.exitCode = controller.signal.aborted ? 130 : 1;
	}
}
