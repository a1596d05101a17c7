#!/usr/bin/env node
// Benchmark (not a test) of the Vite plugin, on a generated app of 20 endpoints
// (18 on demand, 2 prerendered), each figure against a baseline of the same run:
//   - build: `vite build` with the plugin against the same app without it, whole
//     commands, interleaved rounds (without, with, without, ...); the median of each
//     and of their differences.
//   - edit: under `vite` dev in Chromium, from saving an endpoint to the open page
//     showing the new answer, against saving a plain module the page shows (Vite's
//     own full reload, no worker): medians of interleaved edits.
//
//   node bench/vite.mjs [rounds]      (npm run bench runs it too)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { launchOptions } from '../scripts/browsers.mjs';
import { median, printTable } from './stats.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VITE = path.join(REPO, 'node_modules/vite/bin/vite.js');
const PLUGIN = path.join(REPO, 'integrations/vite.mjs');

/** Writes the app: index.html shows /api/e0 and the plain module's text. */
function makeApp() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-vite-'));
	const write = (file, text) => {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.writeFileSync(path.join(dir, file), text);
	};
	write('index.html', '<!doctype html><meta charset="utf-8"><p id="a">waiting</p><p id="b"></p><script type="module" src="/src/main.js"></script>');
	write(
		'src/main.js',
		`import { startEmulator } from ${JSON.stringify(path.join(REPO, 'client/index.ts'))};
import { text } from './text.js';
document.querySelector('#b').textContent = text;
await startEmulator();
document.querySelector('#a').textContent = await (await fetch('/api/e0')).text();
`,
	);
	write('src/text.js', "export const text = 'plain 0';\n");
	for (let i = 0; i < 20; i++) {
		const prerender = i >= 18 ? 'export const prerender = true;\n' : '';
		write(`src/pages/api/e${i}.ts`, `${prerender}export const GET = ({ url }: { url: URL }) => new Response('endpoint ${i} v0 ' + url.pathname);\n`);
	}
	write('with.config.mjs', `import swEndpoints from ${JSON.stringify(PLUGIN)};\nexport default { plugins: [swEndpoints()], logLevel: 'warn' };\n`);
	write('without.config.mjs', "export default { logLevel: 'warn' };\n");
	fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
	return dir;
}

function timeBuild(dir, config) {
	const started = performance.now();
	execFileSync(process.execPath, [VITE, 'build', '--config', config, '--outDir', `out-${config}`], { cwd: dir, stdio: 'ignore' });
	return performance.now() - started;
}

async function devServer(dir) {
	const child = spawn(process.execPath, [VITE, '--config', 'with.config.mjs', '--port', '0', '--logLevel', 'info'], {
		cwd: dir,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const url = await new Promise((resolve, reject) => {
		let log = '';
		child.stdout.on('data', (d) => {
			log += d;
			const found = log.replace(/\x1b\[[0-9;]*m/g, '').match(/Local:\s+(http:\/\/\S+)/)?.[1];
			if (found) resolve(found);
		});
		child.on('exit', (code) => reject(new Error(`vite exited ${code}: ${log}`)));
	});
	return { url, close: () => child.kill() };
}

export async function runViteBench(rounds = 7) {
	const dir = makeApp();
	try {
		timeBuild(dir, 'without.config.mjs'); // warm the file cache
		const builds = { without: [], with: [], added: [] };
		for (let i = 0; i < rounds; i++) {
			const without = timeBuild(dir, 'without.config.mjs');
			const withPlugin = timeBuild(dir, 'with.config.mjs');
			builds.without.push(without);
			builds.with.push(withPlugin);
			builds.added.push(withPlugin - without);
		}
		const server = await devServer(dir);
		const browser = await chromium.launch(launchOptions());
		const edits = { endpoint: [], plain: [] };
		try {
			const page = await browser.newPage();
			await page.goto(server.url);
			await page.locator('#a', { hasText: 'endpoint 0 v0' }).waitFor();
			const endpoint = path.join(dir, 'src/pages/api/e0.ts');
			const plain = path.join(dir, 'src/text.js');
			for (let i = 1; i <= rounds; i++) {
				let started = performance.now();
				fs.writeFileSync(endpoint, fs.readFileSync(endpoint, 'utf8').replace(/v\d+/, `v${i}`));
				await page.locator('#a', { hasText: `endpoint 0 v${i} ` }).waitFor({ timeout: 20_000 });
				edits.endpoint.push(performance.now() - started);
				started = performance.now();
				fs.writeFileSync(plain, `export const text = 'plain ${i}';\n`);
				await page.locator('#b', { hasText: `plain ${i}` }).waitFor({ timeout: 20_000 });
				edits.plain.push(performance.now() - started);
				// Let the page settle (its requests answered) before the next edit.
				await page.locator('#a', { hasText: `endpoint 0 v${i} ` }).waitFor();
			}
		} finally {
			await browser.close();
			server.close();
		}
		return { rounds, builds, edits };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

export function reportViteBench({ rounds, builds, edits }) {
	const ms = (v) => `${Math.round(v)} ms`;
	console.log(`\nVite plugin (20 endpoints, medians of ${rounds} interleaved rounds)`);
	printTable(
		['what', 'baseline', 'with sw-endpoints', 'added', 'ratio'],
		[
			[
				'vite build (whole command)',
				ms(median(builds.without)),
				ms(median(builds.with)),
				ms(median(builds.added)),
				`${(median(builds.with) / median(builds.without)).toFixed(2)}×`,
			],
			[
				'vite dev: save → page shows it',
				`${ms(median(edits.plain))} (plain module)`,
				`${ms(median(edits.endpoint))} (endpoint)`,
				ms(median(edits.endpoint) - median(edits.plain)),
				`${(median(edits.endpoint) / median(edits.plain)).toFixed(2)}×`,
			],
		],
	);
	const spread = (v) => `${ms(Math.min(...v))}–${ms(Math.max(...v))}`;
	console.log(`spread: build added ${spread(builds.added)}; endpoint edit ${spread(edits.endpoint)}; plain edit ${spread(edits.plain)}`);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
	reportViteBench(await runViteBench(Number(process.argv[2] ?? 7)));
}
