#!/usr/bin/env node
// `npm test`: every test, in order — type check, unit tests (Vitest), browser
// tests (Playwright in Chromium, fetched if missing) and the Astro conformance
// replay in both modes. Ends with one "N passed, N failed" line over all of them
// and exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Fixtures that must pass fully in both modes; the others belong to later work and are reported. */
export const STRICT_FIXTURES = ['bodies', 'cookies', 'dispatch', 'middleware', 'prerender', 'routing', 'sessions', 'trailing-never'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-test-'));
const bin = (name) => path.join('node_modules', '.bin', name);
const totals = { passed: 0, failed: 0 };
const report = [];

function run(title, command, args, env = {}) {
	console.log(`\n━━ ${title}`);
	const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	return r.status === 0;
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function count(title, ok, passed, failed) {
	// A step that failed without reporting counts (crash, type error) still fails the run.
	if (!ok && failed === 0) failed = 1;
	totals.passed += passed;
	totals.failed += failed;
	report.push(`${title.padEnd(28)} ${passed} passed, ${failed} failed`);
}

const typeOk = run('type check', bin('tsc'), ['-p', 'tsconfig.json']) && run('type check (worker)', bin('tsc'), ['-p', 'sw/tsconfig.json']);
count('type check', typeOk, typeOk ? 1 : 0, typeOk ? 0 : 1);

const vitestJson = path.join(tmp, 'vitest.json');
const unitOk = run('unit tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const unit = readJson(vitestJson);
count('unit tests', unitOk, unit?.numPassedTests ?? 0, unit?.numFailedTests ?? 0);

const browserReady = run('browser for tests', process.execPath, ['scripts/ensure-chromium.mjs']);
const pwJson = path.join(tmp, 'playwright.json');
const browserOk = browserReady && run('browser tests (playwright)', bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
const pw = readJson(pwJson)?.stats;
count('browser tests', browserOk, pw ? pw.expected + pw.flaky : 0, pw ? pw.unexpected : 0);

const summaryFile = path.join(tmp, 'conformance.json');
const confOk =
	browserReady &&
	run('Astro conformance (node + browser)', process.execPath, ['tests/conformance/run.mjs', '--strict', STRICT_FIXTURES.join(','), '--summary', summaryFile]);
const summary = readJson(summaryFile) ?? {};
for (const [mode, fixtures] of Object.entries(summary)) {
	let passed = 0;
	let failed = 0;
	for (const [name, r] of Object.entries(fixtures)) {
		if (r.strict) {
			passed += r.passed;
			failed += r.failed;
		} else report.push(`  (not yet required) ${mode} ${name}: ${r.passed} passed, ${r.failed} failed`);
	}
	count(`conformance, ${mode} mode`, confOk, passed, failed);
}
if (!Object.keys(summary).length) count('conformance', confOk, 0, 0);

fs.rmSync(tmp, { recursive: true, force: true });
console.log(`\n━━ summary\n${report.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed ? 1 : 0;
