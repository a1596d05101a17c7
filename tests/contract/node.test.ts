// The contract scenarios in Vitest mode (happy-dom), plus what only this mode can
// check from inside: per-test isolation and onUnhandledRequest.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { observe, scenarios, type Driver } from './scenarios.ts';
import { emulator } from './setup.ts';

const driver: Driver = {
	async request(path, init = {}) {
		const headers = { ...init.headers, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) };
		const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
		try {
			return await observe(await fetch(path, { method: init.method ?? 'GET', headers, body }));
		} catch {
			return { error: 'network' };
		}
	},
	documentCookie: async () => document.cookie,
	use: async (method, path, handler, options) => emulator.use(method, path, handler, options),
	delay: async (path, ms, options) => emulator.delay(path, ms, options),
	fail: async (path, options) => emulator.fail(path, options),
	setLocals: (locals) => emulator.setLocals(locals),
	seed: (data) => emulator.seed(data),
	reset: () => emulator.reset(),
	log: async () => emulator.requests.map(({ method, path, status, kind, route, params }) => ({ method, path, status, kind, route, params })),
};

describe('contract (vitest + happy-dom)', () => {
	for (const scenario of scenarios) {
		test(scenario.name, async () => {
			expect(await scenario.run(driver)).toEqual(scenario.expected);
		});
	}
});

describe('isolation between tests', () => {
	// Both tests write the same session key; each must start from nothing.
	test('the first test counts to two', async () => {
		await fetch('/api/counter', { method: 'POST' });
		const second = await (await fetch('/api/counter', { method: 'POST' })).json();
		expect(second).toEqual({ count: 2 });
	});

	test('the second test starts again at one', async () => {
		expect(await (await fetch('/api/counter', { method: 'POST' })).json()).toEqual({ count: 1 });
		expect(document.cookie).toBe('');
	});

	test('an override set in one test…', async () => {
		emulator.use('GET', '/api/items', () => Response.json(['leak?']));
		expect(await (await fetch('/api/items')).json()).toEqual(['leak?']);
	});

	test('…does not leak into the next', async () => {
		expect(await (await fetch('/api/items')).json()).toEqual([]);
	});
});

test("onUnhandledRequest: 'error' fails a test whose app swallowed the rejected fetch, naming the request; a function sees each request once", () => {
	const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'unhandled');
	const run = spawnSync(
		process.execPath,
		[path.resolve('node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', path.join(dir, 'vitest.config.mjs')],
		{
			encoding: 'utf8',
			env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
		},
	);
	const output = run.stdout + run.stderr;
	expect(run.status).not.toBe(0);
	expect(output).toMatch(/Tests +1 failed \| 1 passed/);
	expect(output).toContain("unhandled request: GET https://api.example.com/v1/users?id=3 (it is not for this site). onUnhandledRequest is 'error'");
});

test('the page never sees Set-Cookie, as in a browser; the request log has the lines', async () => {
	const response = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"ada"}' });
	expect(response.headers.get('set-cookie')).toBeNull();
	expect(emulator.requests.at(-1)?.setCookies.some((line) => line.startsWith('user=ada;') && line.includes('HttpOnly'))).toBe(true);
});
