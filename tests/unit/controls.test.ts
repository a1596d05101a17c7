// The controls: the layer's path patterns, method matching, once/times and
// installed modules (sw/controls/layer.ts), and the controls both hosts call, with
// the worker's stored copy of their rules (sw/controls/controls.ts).
import { describe, expect, test } from 'vitest';
import { createMemoryKv, type KeyValueStore } from '../../sw/core/kv.ts';
import { compilePath, createControlLayer, evaluateHandler, evaluateModule, normalizeMethod, routeOfFile } from '../../sw/controls/layer.ts';
import { createControls, type ControlsOptions, type StateControls } from '../../sw/controls/controls.ts';

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

describe('createControlLayer', () => {
	test('the newest override wins; other methods fall through; HEAD uses GET', () => {
		const o = createControlLayer();
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
		const o = createControlLayer({ onChange: () => changes.push(1) });
		o.use('*', '/api/x', () => new Response(''), { once: true });
		expect(o.route('DELETE', '/api/x')).toBeDefined();
		expect(o.route('DELETE', '/api/x')).toBeUndefined();
		expect(changes.length).toBe(2);
	});

	test('network rules: newest first, per method, failing `times` times', () => {
		const o = createControlLayer();
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
		const o = createControlLayer({ base: '/docs/' });
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

/** Controls over a memory store (the worker keeps them in IndexedDB), with a host that records what it was asked. */
function controlsWith(options: Partial<ControlsOptions<string>> & { store?: KeyValueStore<unknown> } = {}) {
	const calls: string[] = [];
	const state: StateControls = {
		setLocals: async (locals) => void calls.push(`setLocals ${JSON.stringify(locals)}`),
		reset: async () => void calls.push('reset'),
		cookies: async () => [],
	};
	const controls = createControls<string>({
		base: '/',
		origin: 'http://localhost:4321',
		state: (caller) => (calls.push(`caller ${caller}`), state),
		send: async () => new Response(null, { status: 204 }),
		...options,
	});
	return { controls, calls };
}

describe('createControls', () => {
	test('installed code and its source outlast the instance; uninstall forgets them', async () => {
		const store = createMemoryKv<unknown>();
		const first = controlsWith({ store }).controls;
		await first.ready;
		await first.from('page').install('src/pages/api/c.ts', 'exports.GET = () => new Response("c");', { source: 'export const GET = () => new Response("c");' });
		await first.from('page').install('api/d.ts', 'exports.POST = () => new Response("d");');
		await first.from('page').uninstall('api/d.ts');

		const again = controlsWith({ store }).controls;
		await again.ready;
		expect(await again.from('page').installed()).toEqual([
			{ file: 'api/c.ts', route: '/api/c', methods: ['GET'], source: 'export const GET = () => new Response("c");' },
		]);
	});

	test('installed code is kept for the build it was installed under; a new build drops it unless kept on purpose', async () => {
		const store = createMemoryKv<unknown>();
		const first = controlsWith({ store, version: 'build-1' }).controls;
		await first.ready;
		await first.from('page').install('api/dropped.ts', 'exports.GET = () => new Response("d");');
		await first.from('page').install('api/kept.ts', 'exports.GET = () => new Response("k");', { keep: true });

		const sameBuild = controlsWith({ store, version: 'build-1' }).controls;
		await sameBuild.ready;
		expect((await sameBuild.from('page').installed()).map((e) => e.file)).toEqual(['api/dropped.ts', 'api/kept.ts']);

		const warnings: string[] = [];
		const nextBuild = controlsWith({ store, version: 'build-2', logger: { warn: (...a: unknown[]) => void warnings.push(a.join(' ')) } }).controls;
		await nextBuild.ready;
		expect((await nextBuild.from('page').installed()).map((e) => e.file)).toEqual(['api/kept.ts']);
		expect(warnings).toEqual([
			'[sw-endpoints] dropped the installed endpoint api/dropped.ts: it was installed under another build (install it with { keep: true } to keep it across builds)',
		]);
		// Dropped from storage too: going back to the first build does not bring it back.
		expect((await store.entries()).map(([key]) => key)).toEqual(['endpoint:src/pages/api/kept.ts']);
	});

	test('a restarted instance evaluates stored overrides again', async () => {
		const store = createMemoryKv<unknown>();
		const first = controlsWith({ store }).controls;
		const page = first.from('page');
		await page.use('GET', '/api/a', '() => new Response("a")');
		await page.use('GET', '/api/b', '() => new Response("b")', { once: true });
		await page.delay('/api/slow', 20);
		first.layer.route('GET', '/api/b');
		await new Promise((r) => setTimeout(r, 10));

		const again = controlsWith({ store }).controls;
		await again.ready;
		expect(again.layer.route('GET', '/api/a')?.route.component).toBe('use(GET /api/a)');
		expect(again.layer.route('GET', '/api/b')).toBeUndefined();
		expect(again.layer.conditions('GET', '/api/slow').delay).toBe(20);
	});

	test('a failed install leaves the previous version serving', async () => {
		const { controls } = controlsWith({ store: createMemoryKv<unknown>() });
		await controls.from('page').install('api/c.ts', 'exports.GET = () => new Response("v1");');
		await expect(controls.from('page').install('api/c.ts', 'exports.GET = (')).rejects.toThrow(SyntaxError);
		const mod = await controls.layer.route('GET', '/api/c')!.route.load();
		expect(await (mod.GET as () => Response)().text()).toBe('v1');
	});

	test('an override source that is not a function says so', async () => {
		expect(() => evaluateHandler('42', 'use(GET /x)')).toThrow('use(GET /x): the handler must be a function');
		expect(() => evaluateHandler('() => {', 'use(GET /x)')).toThrow('use(GET /x): the handler does not compile');
		await expect(controlsWith().controls.from('page').use('GET', '/x', '42')).rejects.toThrow('use(GET /x): the handler must be a function');
	});

	test('without a store a rule applies before use() returns (Node: tests need not await it), and functions are taken as they are', () => {
		const { controls } = controlsWith();
		expect(controls.loaded).toBe(true);
		void controls.from('page').use('GET', '/api/x', () => new Response('fn'));
		void controls.from('page').fail('/api/y', { times: 1 });
		expect(controls.layer.route('GET', '/api/x')?.route.kind).toBe('override');
		expect(controls.layer.conditions('GET', '/api/y').fail).toBe(true);
	});

	test("reset() resets the caller's state and forgets overrides and network rules, not installed endpoints", async () => {
		const { controls, calls } = controlsWith();
		const page = controls.from('page-1');
		await page.use('GET', '/api/x', () => new Response(''));
		await page.delay('/api/x', 10);
		await page.install('api/me.ts', 'exports.GET = () => new Response("me");');
		await page.reset();
		expect(calls).toEqual(['caller page-1', 'reset']);
		expect(controls.layer.route('GET', '/api/x')).toBeUndefined();
		expect(controls.layer.conditions('GET', '/api/x').delay).toBe(0);
		expect(controls.layer.route('GET', '/api/me')?.route.kind).toBe('installed');
	});

	test('seed() sets locals, then writes cookies and session through one request to a once-override under base', async () => {
		const sent: Array<{ url: string; caller: string; body: unknown; component?: string }> = [];
		const { controls, calls } = controlsWith({
			base: '/docs/',
			send: async (request, caller) => {
				const found = controls.layer.route(request.method, new URL(request.url).pathname);
				sent.push({ url: request.url, caller, body: await request.json(), component: found?.route.component });
				return new Response(null, { status: 204 });
			},
		});
		await controls.from('page').seed({ locals: { role: 'admin' }, cookies: { a: '1' }, session: { user: 'ada' } });
		expect(calls).toEqual(['caller page', 'setLocals {"role":"admin"}']);
		expect(sent).toEqual([
			{
				url: 'http://localhost:4321/docs/__sw-endpoints/seed',
				caller: 'page',
				body: { locals: { role: 'admin' }, cookies: { a: '1' }, session: { user: 'ada' } },
				component: 'use(POST /docs/__sw-endpoints/seed)',
			},
		]);
		// once: the route is gone after its request
		expect(controls.layer.route('POST', '/docs/__sw-endpoints/seed')).toBeUndefined();
	});

	test('seed() says why it failed, and refuses cookies without a jar', async () => {
		const failing = controlsWith({ send: async () => new Response('sessions are off', { status: 500 }) }).controls;
		await expect(failing.from('page').seed({ session: { a: 1 } })).rejects.toThrow('[sw-endpoints] seed(): sessions are off');
		const server = controlsWith({ cookieJar: false }).controls;
		await expect(server.from('page').seed({ cookies: { a: '1' } })).rejects.toThrow('needs a cookie jar');
	});
});
