#!/usr/bin/env node
// Replays the recorded Astro answers (tests/conformance, copied from the shared
// conformance set) against sw-endpoints, through Node mode and through
// exchange() in the real worker in Chromium, Firefox and WebKit; prints
// compare.mjs's summary per mode.
//
//   node tests/conformance/run.mjs [--mode node|chromium|firefox|webkit|browser|all] [--fixture a,b] [--strict a,b] [--summary file.json]
//
// `browser` is every engine of SW_ENGINES (default all three); `all` is node and those.
//
// --strict lists fixtures that must pass fully (non-zero exit otherwise); the
// counts of the others are reported. --summary writes the counts as JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES } from '../engines/index.mjs';
import { compare, fixtureNames, runNode } from './replay.mjs';

/**
 * What --summary writes (scripts/test.mjs reads it): counts by mode, then by fixture.
 * @typedef {Record<string, Record<string, { passed: number, failed: number, strict: boolean }>>} Summary
 */

/** @typedef {import('../engines/index.mjs').EngineName} EngineName */

const MODES = /** @type {const} */ (['all', 'browser', 'node', 'chromium', 'firefox', 'webkit']);

/** @param {string | undefined} value */
function modeArg(value) {
	const mode = MODES.find((m) => m === value);
	if (!mode) throw new Error(`--mode must be one of ${MODES.join(', ')}, got ${value}`);
	return mode;
}

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ mode: (typeof MODES)[number], fixtures: string[], strict: string[], summary: string | undefined }} */
	const a = { mode: 'all', fixtures: fixtureNames(), strict: [], summary: undefined };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--mode') a.mode = modeArg(argv[++i]);
		else if (argv[i] === '--fixture') a.fixtures = argv[++i].split(',');
		else if (argv[i] === '--strict') a.strict = argv[++i].split(',');
		else if (argv[i] === '--summary') a.summary = argv[++i];
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	return a;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	/** @type {Array<'node' | EngineName>} */
	const modes = args.mode === 'all' ? ['node', ...ENGINES] : args.mode === 'browser' ? ENGINES : [args.mode];
	let failedStrict = false;
	/** @type {Summary} */
	const summary = {};
	for (const mode of modes) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sw-conformance-${mode}-`));
		if (mode === 'node') await runNode(dir, args.fixtures);
		else await (await import('./browser.mjs')).runBrowser(dir, args.fixtures, mode);
		console.log(`\n== conformance, ${mode} mode`);
		for (const name of args.fixtures) {
			const r = compare(dir, [name]);
			(summary[mode] ??= {})[name] = { passed: r.passed, failed: r.failed, strict: args.strict.includes(name) };
			const fails = r.output.split('\n').filter((l) => l.startsWith('FAIL') || l.startsWith('     '));
			console.log(`${name.padEnd(16)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
			if (args.strict.includes(name) && r.failed) {
				failedStrict = true;
				console.log(fails.join('\n'));
			}
		}
		const strictNames = args.strict.filter((n) => args.fixtures.includes(n));
		if (strictNames.length) {
			const total = compare(dir, strictNames);
			console.log(`${mode} (${strictNames.join(', ')}): ${total.output.trim().split('\n').at(-1)}`);
		}
		fs.rmSync(dir, { recursive: true, force: true });
	}
	if (args.summary) fs.writeFileSync(args.summary, JSON.stringify(summary, null, 1));
	if (failedStrict) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
