// The Playwright fixture's own checks: against a build without the controls
// (`serve: false`, the app's server serves it) the controls reject in the test,
// also those queued before the page loaded; a startEmulator() that fails in the
// page rejects ready(); and, run in a Playwright of their own, a fixture build
// without index.html fails at set-up and a refusal nobody awaited fails the test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../../testing/playwright.mjs';
import { build } from '../../build.mjs';
import { serveStatic } from '../../testing/static-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
const project = path.join(here, '..', 'contract', 'project');
const REFUSAL =
	'this build has no run-time controls: build it with `controls: true`, or as a development build ' +
	"(`npx sw-endpoints --controls`, `controls: true` in sw-endpoints.config, or the Vite plugin's `swEndpoints({ controls: true })`)";
const MISSING = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body><script type="module">
import { startEmulator } from './sw-client.js';
await startEmulator({ url: './not-built/sw.js' });
</script>`;

test.use({ emulatorOptions: { serve: false } });

let site: { url: string; close(): Promise<void> };
let root: string;
test.beforeAll(async () => {
	// A production build without the controls, as an app's own server would serve it.
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-fixture-'));
	fs.cpSync(project, root, { recursive: true });
	fs.writeFileSync(path.join(root, 'public', 'missing.html'), MISSING);
	await build({ root, out: path.join(root, 'dist'), logger: null });
	site = await serveStatic({ root: path.join(root, 'dist') });
});
test.afterAll(async () => {
	await site.close();
	fs.rmSync(root, { recursive: true, force: true });
});

test('on a running page, every control that needs the run-time layer rejects in the test, naming how to build with it', async ({ page, emulator }) => {
	await page.goto(`${site.url}/`);
	await emulator.ready();
	const calls = {
		use: () => emulator.use('GET', '/api/items', () => Response.json(['x'])),
		delay: () => emulator.delay('/api/items', 10),
		fail: () => emulator.fail('/api/items'),
		seed: () => emulator.seed({ session: { a: 1 } }),
		install: () => emulator.install('api/x.ts', 'exports.GET = () => new Response("x")'),
	};
	for (const [op, call] of Object.entries(calls)) {
		await expect(call(), op).rejects.toMatchObject({ code: 'NoControls', message: `[sw-endpoints] ${op}(): ${REFUSAL}` });
	}
	// The state controls are in every build.
	await emulator.setLocals({ role: 'viewer' });
	expect(await page.evaluate(() => fetch('/api/me').then((r) => r.json()))).toMatchObject({ role: 'viewer' });
});

test('a control queued before the page loaded is refused by its startEmulator(): ready() rejects with why, and the app still starts', async ({
	page,
	emulator,
}) => {
	await emulator.use('GET', '/api/items', () => Response.json(['override']));
	await page.goto(`${site.url}/`);
	await expect(emulator.ready()).rejects.toThrow(`[sw-endpoints] use(): ${REFUSAL} (called before the page loaded; its startEmulator() refused it)`);
	await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
	expect(await page.evaluate(() => fetch('/api/items').then((r) => r.json()))).toEqual([]);
});

test('a startEmulator() that fails in the page rejects ready() with its error, not a timeout; the next page starts afresh', async ({ page, emulator }) => {
	await page.goto(`${site.url}/missing.html`);
	const started = Date.now();
	await expect(emulator.ready()).rejects.toThrow(`[sw-endpoints] sw.js not found at ${site.url}/not-built/sw.js (the server answered 404 text/plain)`);
	expect(Date.now() - started).toBeLessThan(10_000);
	await page.goto(`${site.url}/`);
	await emulator.ready();
});

/** A suite of Playwright's JSON report, as far as read here. */
interface Suite {
	specs?: Array<{ title: string; tests: Array<{ results: Array<{ status: string; duration: number; errors: Array<{ message?: string }> }> }> }>;
	suites?: Suite[];
}

test.describe('in a Playwright run of its own', () => {
	test.setTimeout(120_000);

	/** Runs `specs` (file name → source) in a separate Playwright, and returns each test's outcome, errors and duration. */
	async function runPlaywright(specs: Record<string, string>, env: Record<string, string>) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-fixture-run-'));
		try {
			fs.writeFileSync(
				path.join(dir, 'playwright.config.mjs'),
				`import { launchOptions } from ${JSON.stringify(path.join(repo, 'scripts', 'browsers.mjs'))};
export default { testDir: '.', timeout: 60_000, workers: 1, retries: 0, use: { browserName: 'chromium', launchOptions: launchOptions() } };
`,
			);
			fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
			for (const [file, source] of Object.entries(specs)) fs.writeFileSync(path.join(dir, file), source);
			// The outer run's variables would make the inner one think it is one of its workers.
			const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_|PLAYWRIGHT_)/.test(k)));
			// Not spawnSync: this process serves the inner run's site, and must keep answering.
			const result = await promisify(execFile)(
				process.execPath,
				[path.join(repo, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '--reporter=json'],
				{ cwd: dir, env: { ...clean, ...env }, encoding: 'utf8', timeout: 110_000, maxBuffer: 16 * 1024 * 1024 },
			).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
			if (!result.stdout) throw new Error(`the inner Playwright printed no report: ${result.stderr}`);
			const outcomes: Record<string, { status: string; duration: number; error: string }> = {};
			const walk = (suite: Suite) => {
				for (const spec of suite.specs ?? []) {
					const [run] = spec.tests[0].results;
					outcomes[spec.title] = { status: run.status, duration: run.duration, error: run.errors.map((e) => e.message ?? '').join('\n') };
				}
				suite.suites?.forEach(walk);
			};
			(JSON.parse(result.stdout) as { suites: Suite[] }).suites.forEach(walk);
			return outcomes;
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}

	test('a build without index.html fails at set-up with the fix; a refusal nobody awaited fails the test', async () => {
		// The endpoints without their page: a Vite app's pages come from Vite, not from public/.
		const noPages = path.join(root, 'no-pages');
		fs.cpSync(path.join(project, 'src'), path.join(noPages, 'src'), { recursive: true });
		const fixture = JSON.stringify(path.join(repo, 'testing', 'playwright.mjs'));
		const results = await runPlaywright(
			{
				'own-build.spec.ts': `import { test, expect } from ${fixture};
test.use({ emulatorOptions: { root: ${JSON.stringify(noPages)} } });
test('no index.html', async ({ page }) => {
	await page.goto('./');
	await expect(page.locator('#app')).toBeVisible();
});
`,
				'app-server.spec.ts': `import { test, expect } from ${fixture};
test.use({ emulatorOptions: { serve: false } });
test('refused, never awaited', async ({ page, emulator }) => {
	await emulator.fail('/api/items');
	await page.goto(process.env.SITE_URL + '/');
	await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
});
`,
			},
			{ SITE_URL: site.url },
		);
		expect(results['no index.html'].status).toBe('failed');
		expect(results['no index.html'].error).toContain(
			`[sw-endpoints] the emulator fixture built ${noPages} to serve it, but the build has no index.html (from public/), so there is no page to open. ` +
				'If your pages come from Vite or another server, let that server serve them: `test.use({ emulatorOptions: { serve: false } })`',
		);
		// Failed at set-up, not after a locator's timeout.
		expect(results['no index.html'].duration).toBeLessThan(15_000);
		expect(results['refused, never awaited'].status).toBe('failed');
		expect(results['refused, never awaited'].error).toContain(
			`[sw-endpoints] fail(): ${REFUSAL} (called before the page loaded; its startEmulator() refused it)`,
		);
	});
});
