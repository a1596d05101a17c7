// Shared pieces of the conformance runner: fixture config, case files, result
// files in the golden shape, the Node-mode replay and the comparison.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNormalizer, normalizeBody, replayCases } from './lib/harness.mjs';
import { contentTypeOf } from '../../sw/core/content-types.js';

/** @typedef {import('./lib/harness.mjs').CaseResult} CaseResult */
/** A prerendered output in the golden `build.clientFiles` shape. @typedef {{ path: string, size: number, body: import('./lib/harness.mjs').NormalizedBody }} ClientFile */

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ORIGIN = 'http://127.0.0.1:4321';

/** The fixtures of the set, by name. */
export function fixtureNames() {
	return fs
		.readdirSync(path.join(HERE, 'golden'))
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.slice(0, -5))
		.sort();
}

/**
 * Config a fixture was recorded with: Astro's `output: 'server'` plus its oracle.json options.
 * @param {string} name
 * @returns {Record<string, unknown>}
 */
export function fixtureConfig(name) {
	const oracle = JSON.parse(fs.readFileSync(path.join(HERE, 'fixtures', name, 'oracle.json'), 'utf8'));
	return { output: 'server', ...oracle.astroConfig };
}

/**
 * Reads a case file.
 * @param {string} name
 * @returns {import('./lib/harness.mjs').CaseFile}
 */
export function caseFile(name) {
	return JSON.parse(fs.readFileSync(path.join(HERE, 'cases', `${name}.json`), 'utf8'));
}

/**
 * Writes one fixture's results in the golden shape.
 * @param {string} dir
 * @param {string} name
 * @param {CaseResult[]} results
 * @param {ClientFile[]} [clientFiles]
 * @param {string} [runner]
 */
export function writeResult(dir, name, results, clientFiles = [], runner = 'sw-endpoints') {
	fs.mkdirSync(dir, { recursive: true });
	const out = { format: 1, fixture: name, mode: 'emulator', generatedBy: { runner }, build: { ok: true, clientFiles }, results };
	fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(out, null, 1)}\n`);
}

/**
 * Prerendered outputs in the golden `build.clientFiles` shape (bodies normalised as the static layer types them).
 * @param {Array<{ path: string, body: Uint8Array }>} prerendered
 * @param {string} [origin]
 * @returns {ClientFile[]}
 */
export function clientFiles(prerendered, origin = ORIGIN) {
	const norm = createNormalizer({ origin });
	return prerendered.map((f) => ({ path: f.path, size: f.body.length, body: normalizeBody(f.body, contentTypeOf(f.path), norm) }));
}

/**
 * Turns a Response into the harness's raw answer (each Set-Cookie line separate).
 * @param {Response} response
 * @param {string[]} setCookies
 * @param {string} method
 * @returns {Promise<import('./lib/harness.mjs').RawAnswer>}
 */
export async function rawResponse(response, setCookies, method) {
	/** @type {Array<[string, string]>} */
	const headers = [];
	for (const [k, v] of response.headers) if (k !== 'set-cookie') headers.push([k, v]);
	for (const line of setCookies) headers.push(['set-cookie', line]);
	const body = method === 'HEAD' ? new Uint8Array(0) : new Uint8Array(await response.arrayBuffer());
	return { status: response.status, statusText: response.statusText, headers, body };
}

/**
 * Replays every fixture through Node mode into `dir`.
 * @param {string} dir
 * @param {string[]} names
 */
export async function runNode(dir, names) {
	const { createEmulator } = await import('../../sw/node/emulator.mjs');
	const quiet = { error() {}, warn() {}, info() {}, debug() {} };
	for (const name of names) {
		const emulator = await createEmulator({ root: path.join(HERE, 'fixtures', name), config: fixtureConfig(name), origin: ORIGIN, logger: quiet });
		/** @type {import('./lib/harness.mjs').Transport} */
		const transport = async (wire) => {
			const hasBody = wire.body !== null && wire.method !== 'GET' && wire.method !== 'HEAD';
			// Node's Request wants `duplex` with a body; the DOM's RequestInit has no such member.
			/** @type {RequestInit & { duplex: 'half' }} */
			const init = { method: wire.method, headers: wire.headers, body: hasBody ? wire.body : null, duplex: 'half' };
			const request = new Request(wire.url, init);
			const response = await emulator.fetch(request);
			return rawResponse(response, emulator.setCookies(response), wire.method);
		};
		const results = await replayCases(caseFile(name), transport, { origin: ORIGIN });
		writeResult(dir, name, results, clientFiles(emulator.prerendered), 'sw-endpoints node mode');
		await emulator.close();
	}
}

/**
 * Runs compare.mjs and returns its output and the parsed counts.
 * @param {string} dir
 * @param {string[]} names
 */
export function compare(dir, names) {
	const args = [path.join(HERE, 'compare.mjs'), path.join(HERE, 'golden'), dir, '--fixture', names.join(','), '--quiet'];
	let output;
	try {
		output = execFileSync(process.execPath, args, { encoding: 'utf8' });
	} catch (e) {
		// compare.mjs exits 1 when a case failed; its output still ends with the counts
		output = e && typeof e === 'object' && 'stdout' in e ? String(e.stdout) : '';
	}
	const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec(output);
	return { output, passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0), skipped: Number(m?.[3] ?? 0) };
}
