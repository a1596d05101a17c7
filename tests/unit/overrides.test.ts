// The run-time layer: path patterns, method matching, once/times, installed
// modules, and the worker's stored copy of it (sw/controls/layer.ts, sw/controls/store.ts).
import { describe, expect, test } from 'vitest';
import { createMemoryKv } from '../../sw/core/kv.ts';
import { compilePath, createOverrides, evaluateModule, normalizeMethod, routeOfFile } from '../../sw/controls/layer.ts';
import { createRuntimeStore, evaluateHandler } from '../../sw/controls/store.ts';

const matches = (path: string, pathname: string) => new RegExp(compilePath(path).pattern).exec(pathname)?.slice(1) ?? null;

describe('compilePath', () => {
	test.each([
		['/api/posts', '/api/posts', []],
		['/api/posts', '/api/posts/', []],
		['/api/posts', '/api/posts/1', null],
		['/api/posts/[id]', '/api/posts/42', ['42']],
		['/api/posts/[id]', '/api/posts/', null],
		['/api/[...rest]', '/api/a/b/c', ['a/b/c']],
		['/api/[...rest]', '/api', [undefined]],
		['/files/[name].json', '/files/report.json', ['report']],
		['/files/post-[slug]', '/files/post-hello', ['hello']],
		['/api/*', '/api/anything/at/all', []],
		['/', '/', []],
		['/api/a.b', '/api/aXb', null],
	])('%s against %s', (path, pathname, expected) => {
		expect(matches(path, pathname)).toEqual(expected);
	});

	test('a path without a leading slash is refused with an example', () => {
		expect(() => compilePath('api/x')).toThrow('must start with "/" (e.g. "/api/posts/[id]")');
	});
});

test.each([
	['api/hello.ts', '/api/hello'],
	['src/pages/api/posts/[id].ts', '/api/posts/[id]'],
	['/api/index.js', '/api'],
	['index.ts', '/'],
])('routeOfFile(%s) is %s', (file, route) => {
	expect(routeOfFile(file)).toBe(route);
});

test('routeOfFile refuses what is not an endpoint file', () => {
	expect(() => routeOfFile('api/hello.astro')).toThrow('name it like api/hello.ts');
});

test('normalizeMethod', () => {
	expect(normalizeMethod('get')).toBe('GET');
	expect(normalizeMethod('ALL')).toBe('*');
	expect(normalizeMethod(undefined)).toBe('*');
	expect(() => normalizeMethod('GET /x')).toThrow('is not an HTTP method');
});

describe('createOverrides', () => {
	test('the newest override wins; other methods fall through; HEAD uses GET', () => {
		const o = createOverrides();
		o.use('GET', '/api/x', () => new Response('old'));
		o.use('GET', '/api/x', () => new Response('new'));
		expect(o.route('GET', '/api/x')?.route.component).toBe('use(GET /api/x)');
		expect(o.route('POST', '/api/x')).toBeUndefined();
		expect(o.route('HEAD', '/api/x')).toBeDefined();
		expect(o.claims('/api/x')).toBe(true);
		expect(o.claims('/api/y')).toBe(false);
	});

	test('once answers one request', () => {
		const changes: number[] = [];
		const o = createOverrides({ onChange: () => changes.push(1) });
		o.use('*', '/api/x', () => new Response(''), { once: true });
		expect(o.route('DELETE', '/api/x')).toBeDefined();
		expect(o.route('DELETE', '/api/x')).toBeUndefined();
		expect(changes.length).toBe(2);
	});

	test('network rules: newest first, per method, failing `times` times', () => {
		const o = createOverrides();
		o.network({ path: '/api/*', delay: 50 });
		o.network({ path: '/api/slow', delay: 500, method: 'POST' });
		o.network({ path: '/api/flaky', fail: true, times: 2 });
		expect(o.conditions('POST', '/api/slow')).toEqual({ delay: 500, fail: false });
		expect(o.conditions('GET', '/api/slow')).toEqual({ delay: 50, fail: false });
		expect([1, 2, 3].map(() => o.conditions('GET', '/api/flaky').fail)).toEqual([true, true, false]);
		expect(() => o.network({ path: '/x', delay: -1 })).toThrow('must be a number of ms');
		o.reset();
		expect(o.conditions('POST', '/api/slow')).toEqual({ delay: 0, fail: false });
	});

	test('installed endpoints sit under base, most specific first, and survive reset()', () => {
		const o = createOverrides({ base: '/docs/' });
		o.install('api/[id].ts', { GET: () => new Response('param') });
		o.install('api/me.ts', { GET: () => new Response('static') });
		expect(o.route('GET', '/docs/api/me')?.route.component).toBe('src/pages/api/me.ts');
		expect(o.route('GET', '/docs/api/7')?.params).toEqual({ id: '7' });
		expect(o.route('GET', '/api/me')).toBeUndefined();
		o.reset();
		expect(o.installed()).toEqual([
			{ file: 'api/[id].ts', route: '/api/[id]', methods: ['GET'] },
			{ file: 'api/me.ts', route: '/api/me', methods: ['GET'] },
		]);
	});
});

describe('evaluateModule', () => {
	test('CommonJS exports become the module; astro resolves; other imports are refused', () => {
		const mod = evaluateModule('var astro = require("astro"); exports.GET = () => new Response("hi");', 'api/a.ts');
		expect(typeof mod.GET).toBe('function');
		expect(() => evaluateModule('require("node:fs"); exports.GET = () => 1;', 'api/a.ts')).toThrow('can import only "astro"');
	});

	test('a module with no handler, a prerendered one and a syntax error are refused', () => {
		expect(() => evaluateModule('exports.get = () => 1;', 'api/a.ts')).toThrow('exports no handler');
		expect(() => evaluateModule('exports.GET = () => 1; exports.prerender = true;', 'api/a.ts')).toThrow('only on-demand endpoints');
		expect(() => evaluateModule('exports.GET = (', 'api/a.ts')).toThrow(SyntaxError);
	});
});

describe('createRuntimeStore', () => {
	test('installed code and its source outlast the instance; uninstall forgets them', async () => {
		const store = createMemoryKv<unknown>();
		const first = createRuntimeStore({ store, base: '/' });
		await first.ready;
		await first.install('src/pages/api/c.ts', 'exports.GET = () => new Response("c");', 'export const GET = () => new Response("c");');
		await first.install('api/d.ts', 'exports.POST = () => new Response("d");');
		await first.uninstall('api/d.ts');

		const again = createRuntimeStore({ store, base: '/' });
		await again.ready;
		expect(again.installed()).toEqual([{ file: 'api/c.ts', route: '/api/c', methods: ['GET'], source: 'export const GET = () => new Response("c");' }]);
	});

	test('a restarted instance evaluates stored overrides again', async () => {
		const store = createMemoryKv<unknown>();
		const first = createRuntimeStore({ store, base: '/' });
		await first.ready;
		first.use({ method: 'GET', path: '/api/a', source: '() => new Response("a")' });
		first.use({ method: 'GET', path: '/api/b', source: '() => new Response("b")', once: true });
		first.network({ path: '/api/slow', delay: 20 });
		first.overrides.route('GET', '/api/b');
		await new Promise((r) => setTimeout(r, 10));

		const again = createRuntimeStore({ store, base: '/' });
		await again.ready;
		expect(again.overrides.route('GET', '/api/a')?.route.component).toBe('use(GET /api/a)');
		expect(again.overrides.route('GET', '/api/b')).toBeUndefined();
		expect(again.overrides.conditions('GET', '/api/slow').delay).toBe(20);
	});

	test('a failed install leaves the previous version serving', async () => {
		const rt = createRuntimeStore({ store: createMemoryKv<unknown>(), base: '/' });
		await rt.ready;
		await rt.install('api/c.ts', 'exports.GET = () => new Response("v1");');
		await expect(rt.install('api/c.ts', 'exports.GET = (')).rejects.toThrow(SyntaxError);
		const mod = await rt.overrides.route('GET', '/api/c')!.route.load();
		expect(await (mod.GET as () => Response)().text()).toBe('v1');
	});

	test('an override source that is not a function says so', () => {
		expect(() => evaluateHandler('42', 'use(GET /x)')).toThrow('use(GET /x): the handler must be a function');
		expect(() => evaluateHandler('() => {', 'use(GET /x)')).toThrow('use(GET /x): the handler does not compile');
	});
});
