// The package as a user gets it: `npm pack`, installed into a fresh Vite +
// TypeScript app outside the repository (the vanilla-ts template's strict
// tsconfig), then everything the README's "With Vite" section promises: tsc
// (bundler and node16 resolution), a Vitest test through setupEmulator, a
// Playwright test through the fixture, `vite build`, and the page answered by
// the worker in Chromium under `vite preview` and `vite dev` (an endpoint edit
// included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { findChromium, launchOptions } from '../../scripts/browsers.mjs';

const REPO = path.resolve(import.meta.dirname, '../..');
const lock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8'));
/** The app installs the versions this repository is tested with. */
const version = (name: string) => lock.packages[`node_modules/${name}`].version as string;

/** The template's tsconfig (create-vite, vanilla-ts), with the one line the README documents in src/sw-endpoints.d.ts. */
const TEMPLATE_TSCONFIG = {
	compilerOptions: {
		target: 'ES2022',
		useDefineForClassFields: true,
		module: 'ESNext',
		lib: ['ES2022', 'DOM', 'DOM.Iterable'],
		types: ['vite/client'],
		skipLibCheck: true,
		moduleResolution: 'bundler',
		allowImportingTsExtensions: true,
		verbatimModuleSyntax: true,
		moduleDetection: 'force',
		noEmit: true,
		strict: true,
		noUnusedLocals: true,
		noUnusedParameters: true,
		erasableSyntaxOnly: true,
		noFallthroughCasesInSwitch: true,
		noUncheckedSideEffectImports: true,
	},
	include: ['src'],
};

const FILES: Record<string, string> = {
	'index.html': `<!doctype html>
<html lang="en">
	<head><meta charset="UTF-8" /><title>app</title></head>
	<body><p id="answer">waiting</p><script type="module" src="/src/main.ts"></script></body>
</html>
`,
	'src/main.ts': `import { startEmulator } from 'sw-endpoints/client';

await startEmulator();
const response = await fetch('/api/todos', { method: 'POST', body: JSON.stringify({ title: 'milk' }) });
const todos: Array<{ title: string }> = await response.json();
const greeting = await (await fetch('/api/hello')).text();
document.querySelector('#answer')!.textContent = \`\${greeting}: \${todos.map((t) => t.title).join(',')}\`;
`,
	'src/sw-endpoints.d.ts': '/// <reference types="sw-endpoints/types" />\n',
	'src/pages/api/hello.ts': `import type { APIRoute } from 'astro';

export const GET: APIRoute = () => new Response('hello v1');
`,
	'src/pages/api/todos.ts': `import type { APIRoute } from 'astro';

// Module state: each Vitest test starts it over (freshModules, the default), as a new worker would.
const todos: Array<{ title: string }> = [];

export const POST: APIRoute = async ({ request }) => {
	todos.push(await request.json());
	return Response.json(todos);
};
`,
	'src/pages/api/build-info.json.ts': `import type { APIRoute } from 'astro';

export const prerender = true;
export const GET: APIRoute = () => Response.json({ prerendered: true });
`,
	'src/middleware.ts': `import { defineMiddleware } from 'astro:middleware';

export const onRequest = defineMiddleware(async (context, next) => {
	const response = await next();
	response.headers.set('x-from', context.url.pathname);
	return response;
});
`,
	'vite.config.ts': `/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import swEndpoints from 'sw-endpoints/vite';

export default defineConfig({
	plugins: [swEndpoints()],
	test: { environment: 'happy-dom', setupFiles: ['./vitest.setup.ts'], include: ['tests/**/*.test.ts'] },
});
`,
	'vitest.setup.ts': `import { setupEmulator } from 'sw-endpoints/node';

await setupEmulator({ root: '.', onUnhandledRequest: 'error' });
`,
	'tests/todos.test.ts': `import { expect, it } from 'vitest';

it('adds a todo', async () => {
	const response = await fetch('/api/todos', { method: 'POST', body: JSON.stringify({ title: 'milk' }) });
	expect(response.headers.get('x-from')).toBe('/api/todos');
	expect(await response.json()).toEqual([{ title: 'milk' }]);
});

it('starts with no todos again', async () => {
	const response = await fetch('/api/todos', { method: 'POST', body: JSON.stringify({ title: 'eggs' }) });
	expect(await response.json()).toEqual([{ title: 'eggs' }]);
});
`,
	'e2e/app.spec.ts': `import { test, expect } from 'sw-endpoints/playwright';

test.use({ emulatorOptions: { serve: false } });

test('the page shows what the worker answered', async ({ page, emulator }) => {
	await page.goto('/');
	await emulator.ready();
	await expect(page.locator('#answer')).toHaveText('hello v1: milk');
	expect(await page.evaluate(() => fetch('/api/build-info.json').then((r) => r.json()))).toEqual({ prerendered: true });
});
`,
};

let app: string;
let browser: Browser;
const servers: ChildProcess[] = [];

function sh(command: string, args: string[], cwd = app) {
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
}

/** Runs a command in the app; on failure the assertion shows its output. */
function step(command: string, args: string[]) {
	try {
		return { ok: true, output: sh(command, args) };
	} catch (error) {
		const e = error as { stdout?: string; stderr?: string; message: string };
		return { ok: false, output: `${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}` };
	}
}

/** Starts `vite <args>` in the app and resolves with its URL once it listens. */
function vite(args: string[]): Promise<string> {
	const child = spawn(process.execPath, [path.join(app, 'node_modules/vite/bin/vite.js'), ...args, '--port', '0', '--strictPort=false'], {
		cwd: app,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	servers.push(child);
	return new Promise((resolve, reject) => {
		let log = '';
		const onData = (data: Buffer) => {
			log += data;
			// Vite's banner: "Local:   http://localhost:5173/" (with colour codes).
			const url = log.replace(/\x1b\[[0-9;]*m/g, '').match(/Local:\s+(http:\/\/\S+)/)?.[1];
			if (url) resolve(url);
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.on('exit', (code) => reject(new Error(`vite ${args.join(' ')} exited (${code}):\n${log}`)));
	});
}

async function answerAt(url: string) {
	const page = await browser.newPage();
	await page.goto(url);
	await page.locator('#answer').filter({ hasNotText: 'waiting' }).waitFor();
	return { page, answer: await page.locator('#answer').textContent() };
}

beforeAll(async () => {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-vite-app-'));
	const tarball = sh('npm', ['pack', '--silent', '--pack-destination', work], REPO).trim().split('\n').pop()!;
	app = path.join(work, 'app');
	fs.mkdirSync(app);
	fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2));
	for (const [file, text] of Object.entries(FILES)) {
		fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
		fs.writeFileSync(path.join(app, file), text);
	}
	fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(TEMPLATE_TSCONFIG, null, 2));
	const node16 = { ...TEMPLATE_TSCONFIG, compilerOptions: { ...TEMPLATE_TSCONFIG.compilerOptions, module: 'node16', moduleResolution: 'node16' } };
	fs.writeFileSync(path.join(app, 'tsconfig.node16.json'), JSON.stringify(node16, null, 2));
	fs.writeFileSync(
		path.join(app, 'playwright.config.ts'),
		`import { defineConfig } from '@playwright/test';
export default defineConfig({
	testDir: 'e2e',
	use: { baseURL: 'http://localhost:4319', launchOptions: { executablePath: ${JSON.stringify(findChromium())}, args: ['--no-sandbox'] } },
	webServer: { command: 'npx vite preview --port 4319 --strictPort', url: 'http://localhost:4319' },
});
`,
	);
	const deps = ['vite', 'typescript', 'vitest', 'happy-dom', '@playwright/test'].map((name) => `${name}@${version(name)}`);
	// The registry's copies are in npm's cache after the repository's own install.
	sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, tarball), ...deps]);
	browser = await chromium.launch(launchOptions());
}, 300_000);

afterAll(async () => {
	for (const s of servers) s.kill();
	await browser?.close();
	if (app) fs.rmSync(path.dirname(app), { recursive: true, force: true });
});

describe.sequential('sw-endpoints installed into a fresh Vite + TypeScript app', () => {
	it('installs only what runs', () => {
		const installed = path.join(app, 'node_modules/sw-endpoints');
		for (const dir of ['tests', 'bench', 'demo', 'examples', '.ci', 'scripts']) expect(fs.existsSync(path.join(installed, dir)), dir).toBe(false);
		expect(fs.existsSync(path.join(installed, 'dist/client.js'))).toBe(true);
		expect(sh(process.execPath, ['node_modules/.bin/sw-endpoints', '--version']).trim()).toBe(
			JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version,
		);
	});

	it('type-checks under the template tsconfig (moduleResolution bundler)', () => {
		const r = step(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
		expect(r.output, r.output).toBe('');
		expect(r.ok).toBe(true);
	});

	it('type-checks with module and moduleResolution node16', () => {
		const r = step(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.node16.json']);
		expect(r.output, r.output).toBe('');
		expect(r.ok).toBe(true);
	});

	it('passes a Vitest test through setupEmulator, module state fresh per test', () => {
		const r = step(process.execPath, ['node_modules/vitest/vitest.mjs', 'run']);
		expect(r.ok, r.output).toBe(true);
		expect(r.output).toMatch(/2 passed/);
	});

	it('vite build writes sw.js and the prerendered output beside index.html', () => {
		const r = step(process.execPath, ['node_modules/vite/bin/vite.js', 'build']);
		expect(r.ok, r.output).toBe(true);
		for (const file of ['index.html', 'sw.js', 'api/build-info.json']) expect(fs.existsSync(path.join(app, 'dist', file)), file).toBe(true);
		expect(JSON.parse(fs.readFileSync(path.join(app, 'dist/api/build-info.json'), 'utf8'))).toEqual({ prerendered: true });
	});

	it('answers from the worker under vite preview', async () => {
		const url = await vite(['preview']);
		const { page, answer } = await answerAt(url);
		expect(answer).toBe('hello v1: milk');
		expect(await page.evaluate(() => fetch('/api/build-info.json').then((r) => r.json()))).toEqual({ prerendered: true });
		await page.close();
	});

	it('passes a Playwright test through the fixture, against vite preview', () => {
		const r = step(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--reporter=line']);
		expect(r.ok, r.output).toBe(true);
		expect(r.output).toMatch(/1 passed/);
	});

	it('answers from the worker under vite dev, and takes an endpoint edit', async () => {
		const url = await vite([]);
		const { page, answer } = await answerAt(url);
		expect(answer).toBe('hello v1: milk');
		const file = path.join(app, 'src/pages/api/hello.ts');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('hello v1', 'hello v2'));
		// The page reloads onto the rebuilt worker by itself; each load posts one more todo to the (new) module state.
		await page.locator('#answer', { hasText: /^hello v2: / }).waitFor();
		await page.close();
	});
});
