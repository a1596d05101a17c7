// Shared pieces of the conformance runner: fixture config, case files, result
// files in the golden shape, the Node-mode replay and the comparison.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNormalizer, normalizeBody, replayCases } from './lib/harness.mjs';
import { contentTypeOf } from '../../sw/core/content-types.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ORIGIN = 'http://127.0.0.1:4321';

/** The fixtures of the set, by name. */
export function fixtureNames() {
	return fs.readdirSync(path.join(HERE, 'golden')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Config a fixture was recorded with: Astro's `output: 'server'` plus its oracle.json options. */
export function fixtureConfig(name) {
	const oracle = JSON.parse(fs.readFileSync(path.join(HERE, 'fixtures', name, 'oracle.json'), 'utf8'));
	return { output: 'server', ...oracle.astroConfig };
}

/** Reads a case file. */
export function caseFile(name) {
	return JSON.parse(fs.readFileSync(path.join(HERE, 'cases', `${name}.json`), 'utf8'));
}

/** Writes one fixture's results in the golden shape. */
export function writeResult(dir, name, results, clientFiles = [], runner = 'sw-endpoints') {
	fs.mkdirSync(dir, { recursive: true });
	const out = { format: 1, fixture: name, mode: 'emulator', generatedBy: { runner }, build: { ok: true, clientFiles }, results };
	fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(out, null, 1)}\n`);
}

/** Prerendered outputs in the golden `build.clientFiles` shape (bodies normalised as the static layer types them). */
export function clientFiles(prerendered, origin = ORIGIN) {
	const norm = createNormalizer({ origin });
	return prerendered.map((f) => ({ path: f.path, size: f.body.length, body: normalizeBody(f.body, contentTypeOf(f.path), norm) }));
}

/** Turns a Response into the harness's raw answer (each Set-Cookie line separate). */
export async function rawResponse(response, setCookies, method) {
	const headers = [];
	for (const [k, v] of response.headers) if (k !== 'set-cookie') headers.push([k, v]);
	for (const line of setCookies) headers.push(['set-cookie', line]);
	const body = method === 'HEAD' ? new Uint8Array(0) : new Uint8Array(await response.arrayBuffer());
	return { status: response.status, statusText: response.statusText, headers, body };
}

/** Replays every fixture through Node mode into `dir`. */
export async function runNode(dir, names) {
	const { createEmulator } = await import('../../sw/node/emulator.mjs');
	const quiet = { error() {}, warn() {}, info() {}, debug() {} };
	for (const name of names) {
		const emulator = await createEmulator({ root: path.join(HERE, 'fixtures', name), config: fixtureConfig(name), origin: ORIGIN, logger: quiet });
		const transport = async (wire) => {
			const hasBody = wire.body !== null && wire.method !== 'GET' && wire.method !== 'HEAD';
			const request = new Request(wire.url, { method: wire.method, headers: wire.headers, body: hasBody ? wire.body : null, duplex: 'half' });
			const response = await emulator.fetch(request);
			return rawResponse(response, emulator.setCookies(response), wire.method);
		};
		const results = await replayCases(caseFile(name), transport, { origin: ORIGIN });
		writeResult(dir, name, results, clientFiles(emulator.prerendered), 'sw-endpoints node mode');
		await emulator.close();
	}
}

/** Runs compare.mjs and returns its output and the parsed counts. */
export function compare(dir, names) {
	const args = [path.join(HERE, 'compare.mjs'), path.join(HERE, 'golden'), dir, '--fixture', names.join(','), '--quiet'];
	let output;
	try {
		output = execFileSync(process.execPath, args, { encoding: 'utf8' });
	} catch (e) {
		output = e.stdout;
	}
	const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec(output);
	return { output, passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0), skipped: Number(m?.[3] ?? 0) };
}

