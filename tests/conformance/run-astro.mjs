#!/usr/bin/env node
// Records the golden files: builds each fixture with real Astro (output
// 'server' unless its oracle.json says otherwise, the Node adapter in
// middleware mode), serves it behind lib/serve-core.mjs, replays its case file
// through lib/harness.mjs and writes golden/<name>.json.
//
//   npm run conformance:record [-- --fixture a,b] [--out dir] [--jobs n]
//   node tests/conformance/run-astro.mjs --check [--summary file.json]
//
// --check records into a temporary directory and compares each fixture byte for
// byte with golden/ (what `npm test` runs): a fixture passes only when Astro's
// answers recorded now are the committed ones; --summary writes the counts.
//
// Astro 7 needs Node 22: scripts/astro-toolchain.mjs provides one (and Astro),
// and this script runs itself again under it, once per fixture (`--one name`),
// a few fixtures at a time. Each fixture is built in a temporary copy with a
// generated astro.config.mjs and a node_modules link to the toolchain's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createNormalizer, normalizeBody, replayCases } from './lib/harness.mjs';
import { listFiles, serveCore, staticContentType } from './lib/serve-core.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SELF = fileURLToPath(import.meta.url);
export const DEFAULT_OUT = path.join(HERE, 'golden');
const FIXTURE_TIMEOUT_MS = 300_000;

/** The fixtures that have a case file, by name. */
export function recordableFixtures() {
	return fs
		.readdirSync(path.join(HERE, 'fixtures'))
		.filter((name) => fs.existsSync(path.join(HERE, 'cases', `${name}.json`)))
		.sort();
}

/**
 * The command line's options (every fixture, into golden/, by default).
 * @param {string[]} argv
 * @returns {{ fixtures: string[], out: string, one: string | undefined, jobs: number, check: boolean, summary: string | undefined }}
 */
export function parseArgs(argv) {
	const a = {
		fixtures: recordableFixtures(),
		out: DEFAULT_OUT,
		one: /** @type {string | undefined} */ (undefined),
		jobs: Math.min(4, os.availableParallelism()),
		check: false,
		summary: /** @type {string | undefined} */ (undefined),
	};
	for (let i = 0; i < argv.length; i++) {
		const value = argv[i + 1];
		if (argv[i] === '--check') {
			a.check = true;
			continue;
		}
		if (argv[i] === '--fixture' && value) a.fixtures = value.split(',');
		else if (argv[i] === '--summary' && value) a.summary = path.resolve(value);
		else if (argv[i] === '--out' && value) a.out = path.resolve(value);
		else if (argv[i] === '--one' && value) a.one = value;
		else if (argv[i] === '--jobs' && Number(value) >= 1) a.jobs = Math.floor(Number(value));
		else throw new Error(`unknown or incomplete argument ${argv[i]} (usage: run-astro.mjs [--fixture a,b] [--out dir] [--jobs n] | --check [--summary file])`);
		i++;
	}
	for (const name of a.fixtures)
		if (!fs.existsSync(path.join(HERE, 'fixtures', name, 'oracle.json')) || !fs.existsSync(path.join(HERE, 'cases', `${name}.json`)))
			throw new Error(`no fixture ${name}: expected fixtures/${name}/oracle.json and cases/${name}.json under ${HERE}`);
	return a;
}

/**
 * The astro.config.mjs of a fixture's build: its oracle.json `astroConfig` over
 * `output: 'server'`, the Node adapter in middleware mode, caches inside the copy.
 * @param {Record<string, unknown>} astroConfig
 */
export function astroConfigSource(astroConfig) {
	const config = { output: 'server', ...astroConfig, cacheDir: './.astro-cache' };
	return [
		"import node from '@astrojs/node';",
		"import { defineConfig } from 'astro/config';",
		'',
		`export default defineConfig({ ...${JSON.stringify(config)}, adapter: node({ mode: 'middleware' }), vite: { cacheDir: './.vite-cache', logLevel: 'silent' } });`,
		'',
	].join('\n');
}

/**
 * One exchange over HTTP/1.1 with the path sent verbatim, no header added but Host
 * (and Content-Length, Connection), each Set-Cookie line its own entry.
 * @param {string} origin
 * @returns {import('./lib/harness.mjs').Transport}
 */
export function httpTransport(origin) {
	const { hostname, port } = new URL(origin);
	return (wire) =>
		new Promise((resolve) => {
			const target = wire.url.slice(origin.length);
			/** @type {Record<string, string>} */
			const headers = {};
			for (const [k, v] of wire.headers) headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
			if (wire.body) headers['content-length'] = String(wire.body.length);
			const req = http.request({ host: hostname, port, method: wire.method, path: target, headers, agent: false, timeout: 15000 }, (res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('error', (e) => resolve({ error: e.message }));
				res.on('end', () => {
					/** @type {Array<[string, string]>} */
					const pairs = [];
					for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
					resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: pairs, body: new Uint8Array(Buffer.concat(chunks)) });
				});
			});
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', (e) => resolve({ error: e.message }));
			req.end(wire.body ? Buffer.from(wire.body) : undefined);
		});
}

/** The child processes this process started and that still run (stopped with it: `recordOne`). */
const running = new Set();

/**
 * Runs a command to its end with its output captured (stdout and stderr interleaved).
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 * @returns {Promise<{ code: number | null, output: string }>}
 */
function runCaptured(command, args, options) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		running.add(child);
		child.on('exit', () => running.delete(child));
		let output = '';
		child.stdout?.on('data', (d) => (output += d));
		child.stderr?.on('data', (d) => (output += d));
		child.on('error', (e) => resolve({ code: -1, output: output + e.message }));
		child.on('close', (code, signal) =>
			resolve({ code, output: signal && options.timeout ? `${output}\nstopped after ${options.timeout / 1000} s (${signal})` : output }),
		);
	});
}

/**
 * Records one fixture (run by the Node that runs Astro): build in a temporary copy, serve, replay, write.
 * @param {string} name
 * @param {string} out
 */
async function recordOne(name, out) {
	const astroDir = process.env.SW_ENDPOINTS_ASTRO_DIR;
	if (!astroDir) throw new Error('--one is run by run-astro.mjs itself (SW_ENDPOINTS_ASTRO_DIR unset)');
	const fixture = path.join(HERE, 'fixtures', name);
	const oracle = JSON.parse(fs.readFileSync(path.join(fixture, 'oracle.json'), 'utf8'));
	const work = fs.mkdtempSync(path.join(os.tmpdir(), `sw-astro-${name}-`));
	// Stopped (the fixture's time ran out): stop the build too and leave no copy behind.
	process.once('SIGTERM', () => {
		for (const child of running) child.kill('SIGTERM');
		fs.rmSync(work, { recursive: true, force: true });
		process.exit(1);
	});
	try {
		for (const entry of fs.readdirSync(fixture)) if (entry !== 'oracle.json') fs.cpSync(path.join(fixture, entry), path.join(work, entry), { recursive: true });
		fs.writeFileSync(path.join(work, 'package.json'), `${JSON.stringify({ name: `fixture-${name}`, private: true, type: 'module' })}\n`);
		fs.writeFileSync(path.join(work, 'astro.config.mjs'), astroConfigSource(oracle.astroConfig ?? {}));
		fs.symlinkSync(path.join(astroDir, 'node_modules'), path.join(work, 'node_modules'), 'dir');
		const built = await runCaptured(process.execPath, [path.join(astroDir, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'], {
			cwd: work,
			env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
		});
		if (built.code !== 0) throw new Error(`astro build of ${name} failed (exit ${built.code}):\n${built.output}`);

		const { handler } = await import(pathToFileURL(path.join(work, 'dist', 'server', 'entry.mjs')).href);
		const clientDir = path.join(work, 'dist', 'client');
		const server = await serveCore({ clientDir, handler });
		let results;
		try {
			const cases = JSON.parse(fs.readFileSync(path.join(HERE, 'cases', `${name}.json`), 'utf8'));
			results = await replayCases(cases, httpTransport(server.origin), { origin: server.origin });
		} finally {
			await server.close();
		}
		const norm = createNormalizer({ origin: server.origin });
		const clientFiles = listFiles(clientDir).map((file) => {
			const body = fs.readFileSync(path.join(clientDir, file));
			return { path: file, size: body.length, body: normalizeBody(new Uint8Array(body), staticContentType(file), norm) };
		});
		const toolchain = (/** @type {string} */ pkg) => JSON.parse(fs.readFileSync(path.join(astroDir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
		const golden = {
			format: 1,
			fixture: name,
			mode: 'core',
			generatedBy: {
				runner: 'run-astro.mjs',
				astro: toolchain('astro'),
				adapter: `@astrojs/node ${toolchain('@astrojs/node')} (mode: middleware) behind lib/serve-core.mjs`,
				node: process.version,
			},
			build: { ok: true, clientFiles },
			results,
		};
		fs.mkdirSync(out, { recursive: true });
		fs.writeFileSync(path.join(out, `${name}.json`), `${JSON.stringify(golden, null, 2)}\n`);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

/**
 * Records `fixtures` into `out`, `jobs` at a time, each under the toolchain's Node.
 * @param {{ fixtures: string[], out: string, jobs: number, onDone?: (r: { name: string, ok: boolean, ms: number, output: string }) => void }} options
 * @returns {Promise<Array<{ name: string, ok: boolean, ms: number, output: string }>>}
 */
export async function recordFixtures({ fixtures, out, jobs, onDone }) {
	const { ensureAstro } = await import('../../scripts/astro-toolchain.mjs');
	const toolchain = ensureAstro();
	/** @type {Array<{ name: string, ok: boolean, ms: number, output: string }>} */
	const done = [];
	const queue = [...fixtures];
	const worker = async () => {
		for (let name = queue.shift(); name; name = queue.shift()) {
			const start = Date.now();
			const r = await runCaptured(toolchain.node, [SELF, '--one', name, '--out', out], {
				env: { ...process.env, SW_ENDPOINTS_ASTRO_DIR: toolchain.dir, ASTRO_TELEMETRY_DISABLED: '1' },
				// A fixture takes seconds; one that hangs (a build, a request never answered) fails instead of holding npm test.
				timeout: FIXTURE_TIMEOUT_MS,
			});
			const result = { name, ok: r.code === 0, ms: Date.now() - start, output: r.output };
			done.push(result);
			onDone?.(result);
		}
	};
	await Promise.all(Array.from({ length: Math.min(jobs, fixtures.length) }, worker));
	return fixtures.map((name) => /** @type {(typeof done)[number]} */ (done.find((d) => d.name === name)));
}

/**
 * Where two texts first differ, as a line number and both lines; null when they are the same bytes.
 * @param {string} expected
 * @param {string} actual
 */
export function firstDifference(expected, actual) {
	if (expected === actual) return null;
	const a = expected.split('\n');
	const b = actual.split('\n');
	let i = 0;
	while (i < a.length && i < b.length && a[i] === b[i]) i++;
	return { line: i + 1, expected: a[i] ?? '(end of file)', actual: b[i] ?? '(end of file)' };
}

/**
 * Records every fixture into a temporary directory and compares each with golden/ byte for byte.
 * @param {{ fixtures: string[], jobs: number, summary: string | undefined }} args
 */
async function check(args) {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-astro-check-'));
	let passed = 0;
	let failed = 0;
	try {
		const started = Date.now();
		await recordFixtures({
			fixtures: args.fixtures,
			out,
			jobs: args.jobs,
			onDone: (r) => {
				const seconds = `(${(r.ms / 1000).toFixed(1)} s)`;
				if (!r.ok) {
					failed++;
					console.log(`FAIL ${r.name}: recording failed ${seconds}\n${r.output}`);
					return;
				}
				const golden = path.join(DEFAULT_OUT, `${r.name}.json`);
				const expected = fs.existsSync(golden) ? fs.readFileSync(golden, 'utf8') : '';
				const diff = firstDifference(expected, fs.readFileSync(path.join(out, `${r.name}.json`), 'utf8'));
				if (!diff) {
					passed++;
					console.log(`PASS ${r.name}: the recording is golden/${r.name}.json byte for byte ${seconds}`);
				} else {
					failed++;
					console.log(`FAIL ${r.name}: golden/${r.name}.json differs from Astro's answers recorded now, line ${diff.line} ${seconds}`);
					console.log(`     golden:   ${diff.expected.trim()}\n     recorded: ${diff.actual.trim()}`);
					console.log(`     (npm run conformance:record -- --fixture ${r.name} writes the recording; commit it if the change is meant)`);
				}
			},
		});
		console.log(`recorded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	} catch (e) {
		const why = e instanceof Error && e.constructor.name === 'ToolchainError' ? e.message : String(e instanceof Error ? e.stack : e);
		console.log(`FAIL cannot record the fixtures with real Astro, so the golden files are unchecked: ${why}`);
		console.log(
			'     What to do: Astro 7 needs Node 22.12 or later; run with Node 22, or set SW_ENDPOINTS_NODE22 to a Node 22 executable, or let ' +
				'scripts/astro-toolchain.mjs fetch Node 22.23.3 and Astro from the npm registry (needs the network once; Linux x64)',
		);
		failed = Math.max(failed, 1);
	} finally {
		fs.rmSync(out, { recursive: true, force: true });
	}
	console.log(`${passed} passed, ${failed} failed`);
	if (args.summary) fs.writeFileSync(args.summary, JSON.stringify({ passed, failed }));
	if (failed) process.exitCode = 1;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.one) {
		await recordOne(args.one, args.out);
		return;
	}
	if (args.check) {
		await check(args);
		return;
	}
	const results = await recordFixtures({
		...args,
		onDone: (r) => {
			console.log(`${r.ok ? 'recorded' : 'FAILED  '} ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.ok ? '' : `\n${r.output}`}`);
		},
	});
	console.log(`${results.filter((r) => r.ok).length} of ${results.length} fixtures recorded into ${path.relative(process.cwd(), args.out) || '.'}`);
	if (results.some((r) => !r.ok)) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
	try {
		await main();
	} catch (e) {
		console.error(`[run-astro] ${e instanceof Error ? (e.constructor.name === 'ToolchainError' ? e.message : e.stack) : e}`);
		process.exitCode = 1;
	}
}
