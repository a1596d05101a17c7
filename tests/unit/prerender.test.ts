// Prerendered endpoints (spec §3 "export const prerender", "getStaticPaths",
// "How prerendered endpoints are emitted"): path generation, getStaticPaths
// validation, what build() writes, and how the emulator serves the outputs.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../build.mjs';
import { generatePath, validateStaticPaths } from '../../build/prerender.mjs';
import { getParts, scanPages, type RouteData } from '../../build/routes.mjs';
import { createEmulator } from '../../sw/node/emulator.mjs';
import { SwEndpointsError } from '../../sw/core/errors.js';
import { makeProject, pagesProject, recordingLogger, writeFiles } from './helpers.ts';

const SITE = 'https://example.com';

/** The segments of a route written as a path, e.g. `/files/[...path].txt`. */
function segmentsOf(route: string) {
	return route
		.split('/')
		.filter(Boolean)
		.map((s) => getParts(s, 'test'));
}

/** The SwEndpointsError a call or promise fails with. */
async function failure(run: (() => unknown) | Promise<unknown>): Promise<SwEndpointsError> {
	try {
		await (typeof run === 'function' ? run() : run);
	} catch (error) {
		expect(error).toBeInstanceOf(SwEndpointsError);
		return error as SwEndpointsError;
	}
	throw new Error('expected an SwEndpointsError');
}

/** Every file under `dir`, relative path → contents. */
function readTree(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
		if (!e.isFile()) continue;
		const file = path.join(e.parentPath, e.name);
		out[path.relative(dir, file).split(path.sep).join('/')] = fs.readFileSync(file, 'base64');
	}
	return out;
}

const prerendered = (source: string) => `export const prerender = true;\n${source}`;

describe('generatePath', () => {
	it.each<[string, Record<string, string | undefined>, string]>([
		['/static/data.json', {}, '/static/data.json'],
		['/', {}, '/'],
		['/posts/[id].json', { id: '42' }, '/posts/42.json'],
		['/posts/[id]', { id: 'with space' }, '/posts/with space'],
		// slashes around any value are trimmed (stringifyParams), not only around rest values
		['/posts/[id].json', { id: '/a/' }, '/posts/a.json'],
		['/files/[...path].txt', { path: 'two/three' }, '/files/two/three.txt'],
		['/files/[...path].txt', { path: '/two/three/' }, '/files/two/three.txt'],
		['/files/[...path].txt', { path: undefined }, '/files/.txt'],
		['/catch/[...all]', { all: 'a/b/c' }, '/catch/a/b/c'],
		['/catch/[...all]', { all: undefined }, '/catch'],
		['/catch/[...all]', {}, '/catch'],
		['/a/[...mid]/b', { mid: undefined }, '/a/b'],
		['/[...all]', { all: undefined }, '/'],
		['/docs/[lang]-[version]', { lang: 'en', version: 'v2' }, '/docs/en-v2'],
		['/v[major].[minor].json', { major: '1', minor: '2' }, '/v1.2.json'],
		['/[a]/[b]/[c].txt', { a: 'x', b: 'y', c: 'z' }, '/x/y/z.txt'],
		['/posts/[id].json', { id: 'a#b?c' }, '/posts/a%23b%3Fc.json'],
		['/files/[...path]', { path: 'q?/#h' }, '/files/q%3F/%23h'],
		// NFD "e + combining acute" is normalize()d to NFC "é".
		['/posts/[id].json', { id: 'cafe\u0301' }, '/posts/caf\u00e9.json'],
		['/posts/[id].json', { id: 'café' }, '/posts/café.json'],
	])('%s with %j → %s', (route, params, expected) => {
		expect(generatePath(segmentsOf(route), params)).toBe(expected);
	});
});

describe('validateStaticPaths', () => {
	let routes: Map<string, RouteData>;
	beforeAll(() => {
		const root = pagesProject([
			'posts/[id].json.ts',
			'static/files/[...path].txt.ts',
			'api/catch/[...slug].ts',
			'api/[slug].ts',
			'docs/[...rest]/[slug].ts',
			'docs/[...rest]/list.json.ts',
			'versions/[lang]-[version].json.ts',
		]);
		const { routes: list } = scanPages(root, { trailingSlash: 'ignore', output: 'static' });
		routes = new Map(list.map((r) => [r.component.replace(/^src\/pages\//, ''), r]));
	});
	const route = (file: string) => {
		const r = routes.get(file);
		if (!r) throw new Error(`no route for ${file}`);
		return r;
	};

	/** Asserts the code and that the error names the endpoint file. */
	async function expectError(result: unknown, file: string, code: string) {
		const error = await failure(() => validateStaticPaths(result, route(file)));
		expect(error.code).toBe(code);
		expect(error.file).toBe(route(file).file);
		expect(path.isAbsolute(String(error.file))).toBe(true);
	}

	it.each<[string, unknown]>([
		['an object', { params: { id: 'a' } }],
		['null', null],
		['undefined', undefined],
		['a string', 'a'],
		['a promise-like', { then() {} }],
	])('a return that is not an array (%s) → InvalidGetStaticPathsReturn', async (_, result) => {
		await expectError(result, 'posts/[id].json.ts', 'InvalidGetStaticPathsReturn');
	});

	it.each<[string, unknown]>([
		['null', null],
		['a string', 'a'],
		['a number', 1],
		['an array', [{ params: { id: 'a' } }]],
		['undefined', undefined],
	])('an entry that is not an object (%s) → InvalidGetStaticPathsEntry', async (_, entry) => {
		await expectError([{ params: { id: 'ok' } }, entry], 'posts/[id].json.ts', 'InvalidGetStaticPathsEntry');
	});

	it.each<[string, unknown]>([
		['no params', {}],
		['only props', { props: { a: 1 } }],
		['params: {}', { params: {} }],
		['params: null', { params: null }],
		['params: a string', { params: 'a' }],
	])('an entry with %s → GetStaticPathsExpectedParams', async (_, entry) => {
		await expectError([entry], 'posts/[id].json.ts', 'GetStaticPathsExpectedParams');
	});

	it.each<[string, unknown]>([
		['a number', 1],
		['a boolean', true],
		['an object', { a: 1 }],
		['null', null],
	])('a param value that is %s → GetStaticPathsInvalidRouteParam', async (_, value) => {
		await expectError([{ params: { id: value } }], 'posts/[id].json.ts', 'GetStaticPathsInvalidRouteParam');
		await expectError([{ params: { path: value } }], 'static/files/[...path].txt.ts', 'GetStaticPathsInvalidRouteParam');
	});

	it.each<[string, Record<string, unknown>]>([
		['posts/[id].json.ts', { id: undefined }],
		['posts/[id].json.ts', { other: 'a' }],
		['versions/[lang]-[version].json.ts', { lang: 'en' }],
		['docs/[...rest]/[slug].ts', { rest: 'a' }],
	])('undefined for a param that is not a rest param (%s %j) → GetStaticPathsInvalidRouteParam', async (file, params) => {
		await expectError([{ params }], file, 'GetStaticPathsInvalidRouteParam');
	});

	it('undefined for `[slug].ts` (the whole last segment) fails too', async () => {
		const error = await failure(() => validateStaticPaths([{ params: { slug: undefined } }], route('api/[slug].ts')));
		expect(error.file).toBe(route('api/[slug].ts').file);
	});

	it.each<[string, Record<string, string | undefined>]>([
		['static/files/[...path].txt.ts', { path: undefined }],
		['docs/[...rest]/list.json.ts', { rest: undefined }],
		['docs/[...rest]/[slug].ts', { rest: undefined, slug: 'x' }],
	])('an undefined rest param is allowed when it is not the whole last segment (%s)', (file, params) => {
		expect(validateStaticPaths([{ params }], route(file))).toEqual([{ params, props: {} }]);
	});

	it('an undefined rest param in a file that is only `[...slug]` → PrerenderDynamicEndpointPathCollide', async () => {
		// Astro's dynamic-endpoint-collision fixture: api/catch/[...slug].ts returning slug undefined.
		await expectError([{ params: { slug: 'one' } }, { params: { slug: undefined } }], 'api/catch/[...slug].ts', 'PrerenderDynamicEndpointPathCollide');
		// without the undefined entry it is fine
		expect(validateStaticPaths([{ params: { slug: 'one' } }], route('api/catch/[...slug].ts'))).toHaveLength(1);
	});

	it('returns params and props (props default to {})', () => {
		const props = { n: 2, nested: { ok: true } };
		expect(validateStaticPaths([{ params: { id: 'a' }, props }, { params: { id: 'b' } }], route('posts/[id].json.ts'))).toEqual([
			{ params: { id: 'a' }, props },
			{ params: { id: 'b' }, props: {} },
		]);
		expect(validateStaticPaths([], route('posts/[id].json.ts'))).toEqual([]);
	});
});

// One project exercising every emission rule (the conformance fixture `prerender`, extended).
const FIXTURE = {
	'src/pages/static/data.json.ts': prerendered(
		`export const GET = ({ url, site, isPrerendered, params, props, routePattern, request }) =>
	new Response(JSON.stringify({ href: url.href, search: url.search, site: site?.href ?? null, isPrerendered, params, props, routePattern, method: request.method, headers: [...request.headers] }), {
		headers: { 'content-type': 'text/csv', 'x-dropped': 'PRERENDER_ONLY_MARKER_51ab' },
	});
`,
	),
	'src/pages/static/noext.ts': prerendered(`export const GET = () => new Response('no extension');\n`),
	'src/pages/static/gone.json.ts': prerendered(`export const GET = () => new Response('{"gone":true}', { status: 410, headers: { 'x-gone': '1' } });\n`),
	'src/pages/static/empty.ts': prerendered(`export const GET = () => new Response(null);\n`),
	'src/pages/static/moved.ts': prerendered(`export const GET = ({ redirect }) => redirect('/static/data.json', 301);\n`),
	'src/pages/static/postonly.json.ts': prerendered(`export const POST = () => new Response('posted');\n`),
	'src/pages/static/pixel.png.ts': prerendered(`export const GET = () => new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]));\n`),
	'src/pages/static/[slug].json.ts': prerendered(
		`let calls = 0;
let gspArg;
export const getStaticPaths = ({ routePattern, paginate }) => {
	calls++;
	gspArg = { routePattern, paginate: typeof paginate };
	return [
		{ params: { slug: 'a' }, props: { n: 1 } },
		{ params: { slug: 'b' }, props: { n: 2, nested: { ok: true } } },
		{ params: { slug: 'with space' } },
		{ params: { slug: 'café' } },
	];
};
export const GET = ({ params, props, url, isPrerendered }) => Response.json({ params, props, pathname: url.pathname, isPrerendered, calls, gspArg });
`,
	),
	'src/pages/static/files/[...path].txt.ts': prerendered(
		`export const getStaticPaths = () => [{ params: { path: 'one' } }, { params: { path: 'two/three' } }];
export const GET = ({ params }) => new Response(\`file for \${params.path}\\n\`);
`,
	),
	// A prerendered dynamic route and an on-demand one with the same pattern.
	'src/pages/mixed/[id].json.ts': prerendered(
		`export const getStaticPaths = () => [{ params: { id: 'a' } }];
export const GET = ({ params }) => Response.json({ from: 'prerendered', id: params.id });
`,
	),
	'src/pages/mixed/[slug].json.ts': `export const GET = ({ params, isPrerendered }) => Response.json({ from: 'on-demand', slug: params.slug, isPrerendered });\n`,
	'src/pages/api/live.ts': `export const GET = ({ isPrerendered }) => new Response('ON_DEMAND_MARKER_7c1e ' + isPrerendered);\n`,
	'public/robots.txt': 'User-agent: *\n',
};

const EMITTED = [
	'mixed/a.json',
	'static/a.json',
	'static/b.json',
	'static/café.json',
	'static/data.json',
	'static/files/one.txt',
	'static/files/two/three.txt',
	'static/gone.json',
	'static/moved',
	'static/noext',
	'static/pixel.png',
	'static/postonly.json',
	'static/with space.json',
];

describe('build() with prerendered endpoints', () => {
	let root: string;
	let out: string;
	let result: Awaited<ReturnType<typeof build>>;
	let logger: ReturnType<typeof recordingLogger>;
	const output = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');
	const json = (file: string) => JSON.parse(output(file));

	beforeAll(async () => {
		root = makeProject(FIXTURE);
		logger = recordingLogger();
		result = await build({ root, config: { site: SITE }, minify: false, logger });
		out = result.out;
	});

	it('emits one file per generated path, named exactly after it', () => {
		expect(result.prerendered.map((f: { path: string }) => f.path)).toEqual(EMITTED);
		for (const file of EMITTED) expect(fs.existsSync(path.join(out, file)), file).toBe(true);
		// no extension added, no index.html treatment
		expect(output('static/noext')).toBe('no extension');
		expect(fs.statSync(path.join(out, 'static/noext')).isFile()).toBe(true);
		// a rest value with a slash → nested folders
		expect(output('static/files/two/three.txt')).toBe('file for two/three\n');
		expect(output('static/files/one.txt')).toBe('file for one\n');
		// spaces and non-ASCII are kept in the file name
		expect(json('static/with space.json').params).toEqual({ slug: 'with space' });
		expect(json('static/café.json').params).toEqual({ slug: 'café' });
	});

	it('writes the bytes the endpoint returned (binary too) and result.prerendered holds the same bytes', () => {
		expect([...fs.readFileSync(path.join(out, 'static/pixel.png'))]).toEqual([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
		for (const f of result.prerendered) {
			expect(Buffer.from(f.body).equals(fs.readFileSync(path.join(out, f.path))), f.path).toBe(true);
		}
	});

	it('keeps only the body: a 410 body is written as a normal file, headers are dropped', () => {
		expect(json('static/gone.json')).toEqual({ gone: true });
		// the data.json endpoint answered with content-type text/csv: nothing of it remains but the body
		expect(json('static/data.json').isPrerendered).toBe(true);
	});

	it('a null body creates no file and logs that', () => {
		expect(fs.existsSync(path.join(out, 'static/empty'))).toBe(false);
		expect(result.prerendered.some((f: { path: string }) => f.path === 'static/empty')).toBe(false);
		expect(logger.lines.info.some((l) => l.includes('/static/empty'))).toBe(true);
	});

	it('a 3xx becomes a meta-refresh page whose canonical link is absolute with `site`', () => {
		// byte for byte what Astro 7 wrote (tests/conformance/golden/prerender.json, static/moved)
		expect(output('static/moved')).toBe(
			'<!doctype html><title>Redirecting to: /static/data.json</title><meta http-equiv="refresh" content="0;url=/static/data.json"><meta name="robots" content="noindex"><link rel="canonical" href="https://example.com/static/data.json"><body>\t<a href="/static/data.json">Redirecting from <code>/static/moved</code> to <code>/static/data.json</code></a></body>',
		);
	});

	it("a prerendered endpoint without GET gets Astro's 404 page written into its file", () => {
		const html = output('static/postonly.json');
		expect(html).toMatch(/^<!doctype html>/i);
		expect(html).toContain('<title>404: Not Found</title>');
		expect(html).toContain('/static/postonly.json');
	});

	it('renders with a bare GET on the site origin: no headers, no query, isPrerendered, the route pattern', () => {
		expect(json('static/data.json')).toEqual({
			href: 'https://example.com/static/data.json',
			search: '',
			site: 'https://example.com/',
			isPrerendered: true,
			params: {},
			props: {},
			routePattern: '/static/data.json',
			method: 'GET',
			headers: [],
		});
	});

	it('passes getStaticPaths props into context.props, and url.pathname is the generated path (encoded by URL)', () => {
		expect(json('static/a.json')).toMatchObject({ params: { slug: 'a' }, props: { n: 1 }, pathname: '/static/a.json', isPrerendered: true });
		expect(json('static/b.json')).toMatchObject({ props: { n: 2, nested: { ok: true } }, pathname: '/static/b.json' });
		expect(json('static/with space.json')).toMatchObject({ props: {}, pathname: '/static/with%20space.json' });
		expect(json('static/café.json')).toMatchObject({ props: {}, pathname: '/static/caf%C3%A9.json' });
	});

	it('calls getStaticPaths once per build, with { paginate, routePattern }', () => {
		for (const f of ['static/a.json', 'static/b.json', 'static/with space.json', 'static/café.json']) {
			expect(json(f).calls, f).toBe(1);
			expect(json(f).gspArg, f).toEqual({ routePattern: '/static/[slug].json', paginate: 'function' });
		}
	});

	it('copies public/ next to the outputs', () => {
		expect(output('robots.txt')).toBe('User-agent: *\n');
	});

	it('precache lists public files, the prerendered outputs and sw-client.js (not sw.js)', () => {
		const urls = result.precache.files.map((f: { url: string }) => f.url);
		expect([...urls].sort()).toEqual([...EMITTED, 'robots.txt', 'sw-client.js'].sort());
		for (const f of result.precache.files) expect(f.revision).toMatch(/^[0-9a-f]{8,}$/);
		expect(result.precache.version).toMatch(/^[0-9a-f]{8,}$/);
	});

	it('the worker bundle leaves out prerendered endpoint code but has on-demand endpoints', () => {
		const sw = output('sw.js');
		expect(sw).toContain('ON_DEMAND_MARKER_7c1e');
		expect(sw).not.toContain('PRERENDER_ONLY_MARKER_51ab');
		// the precache manifest inside names the outputs
		expect(sw).toContain(result.precache.version);
	});

	describe('createEmulator()', () => {
		let emulator: Awaited<ReturnType<typeof createEmulator>>;
		beforeAll(async () => {
			emulator = await createEmulator({ root, config: { site: SITE }, logger: recordingLogger() });
			return () => emulator.close();
		});

		it('.prerendered equals what build() emitted', () => {
			const view = (files: Array<{ path: string; body: Uint8Array }>) => files.map((f) => [f.path, Buffer.from(f.body).toString('base64')]);
			expect(view(emulator.prerendered)).toEqual(view(result.prerendered));
		});

		it.each<[string, string, string]>([
			['/static/data.json', 'static/data.json', 'application/json'],
			['/static/data.json?x=1', 'static/data.json', 'application/json'],
			['/static/files/two/three.txt', 'static/files/two/three.txt', 'text/plain; charset=utf-8'],
			['/static/noext', 'static/noext', 'application/octet-stream'],
			['/static/moved', 'static/moved', 'application/octet-stream'],
			['/static/gone.json', 'static/gone.json', 'application/json'],
			['/static/pixel.png', 'static/pixel.png', 'image/png'],
			['/static/with%20space.json', 'static/with space.json', 'application/json'],
			['/static/caf%C3%A9.json', 'static/café.json', 'application/json'],
			['/static/caf%C3%A9.json?q=%20', 'static/café.json', 'application/json'],
			['/mixed/a.json', 'mixed/a.json', 'application/json'],
		])('GET %s answers the file %s as %s', async (url, file, type) => {
			const res = await emulator.fetch(url);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe(type);
			expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(out, file)))).toBe(true);
		});

		it.each([['/static/data.json'], ['/static/with%20space.json'], ['/static/noext?x=1']])('HEAD %s answers the headers without a body', async (url) => {
			const res = await emulator.fetch(url, { method: 'HEAD' });
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe(url.includes('noext') ? 'application/octet-stream' : 'application/json');
			expect(await res.text()).toBe('');
		});

		it("a 410 endpoint's file is served as 200 (the status was not kept)", async () => {
			const res = await emulator.fetch('/static/gone.json');
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ gone: true });
		});

		it('POST to a static prerendered path is not served from the files: the handler answers its 404 page', async () => {
			const res = await emulator.fetch('/static/data.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			expect(res.status).toBe(404);
			expect(res.headers.get('content-type')).toMatch(/^text\/html/);
			expect(await res.text()).toContain('404: Not Found');
		});

		it('a path the prerendered route did not generate: no file, and a null-body path has none either', async () => {
			expect((await emulator.fetch('/static/zzz.json')).status).toBe(404);
			expect((await emulator.fetch('/static/empty')).status).toBe(404);
		});

		it('a prerendered dynamic route that did not generate a path lets an on-demand route with the same pattern answer', async () => {
			const res = await emulator.fetch('/mixed/zzz.json');
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ from: 'on-demand', slug: 'zzz', isPrerendered: false });
			// the generated path is still the file
			expect(await (await emulator.fetch('/mixed/a.json')).json()).toEqual({ from: 'prerendered', id: 'a' });
		});

		it('on-demand endpoints still answer through the handler', async () => {
			expect(await (await emulator.fetch('/api/live')).text()).toBe('ON_DEMAND_MARKER_7c1e false');
		});
	});
});

describe('redirect pages without `site`', () => {
	it('the canonical link is the Location as written (302 waits 2 s)', async () => {
		const root = makeProject({
			'src/pages/moved.ts': prerendered(`export const GET = ({ redirect }) => redirect('/target?q=1');\n`),
			'src/pages/away.ts': prerendered(`export const GET = () => new Response(null, { status: 307, headers: { location: 'https://other.example/x' } });\n`),
		});
		const result = await build({ root, logger: null });
		const moved = fs.readFileSync(path.join(result.out, 'moved'), 'utf8');
		expect(moved).toContain('<meta http-equiv="refresh" content="2;url=/target?q=1">');
		expect(moved).toContain('<link rel="canonical" href="/target?q=1">');
		const away = fs.readFileSync(path.join(result.out, 'away'), 'utf8');
		expect(away).toContain('<meta http-equiv="refresh" content="0;url=https://other.example/x">');
		expect(away).toContain('<link rel="canonical" href="https://other.example/x">');
		expect(away).toContain('Redirecting from <code>/away</code>');
	});
});

describe('build() failures name the endpoint file and write nothing', () => {
	const GOOD_DYNAMIC = prerendered(
		`export const getStaticPaths = () => [{ params: { id: 'a' } }];\nexport const GET = ({ params }) => new Response(params.id);\n`,
	);

	const gsp = `export const getStaticPaths = () => [{ params: { id: 'a' } }];\n`;
	it.each<[string, string, string]>([
		['a prerendered dynamic route without getStaticPaths', 'GetStaticPathsRequired', `export const GET = ({ params }) => new Response(params.id);\n`],
		[
			'getStaticPaths throwing',
			'PrerenderFailed',
			`export const getStaticPaths = () => { throw new Error('no paths'); };\nexport const GET = () => new Response('x');\n`,
		],
		[
			'getStaticPaths rejecting',
			'PrerenderFailed',
			`export const getStaticPaths = async () => { throw new Error('no paths'); };\nexport const GET = () => new Response('x');\n`,
		],
		[
			'getStaticPaths returning an object',
			'InvalidGetStaticPathsReturn',
			`export const getStaticPaths = () => ({ params: { id: 'a' } });\nexport const GET = () => new Response('x');\n`,
		],
		[
			'getStaticPaths giving a number param',
			'GetStaticPathsInvalidRouteParam',
			`export const getStaticPaths = () => [{ params: { id: 1 } }];\nexport const GET = () => new Response('x');\n`,
		],
		['the endpoint throwing', 'PrerenderFailed', `${gsp}export const GET = () => { throw new Error('boom'); };\n`],
		['the endpoint rejecting', 'PrerenderFailed', `${gsp}export const GET = async () => { throw new Error('boom'); };\n`],
		['the endpoint returning no Response', 'PrerenderFailed', `${gsp}export const GET = () => 'nope';\n`],
		['the module throwing while loading', 'PrerenderFailed', `throw new Error('top-level');\n${gsp}export const GET = () => new Response('x');\n`],
	])('%s → %s', async (_, code, source) => {
		const root = makeProject({
			'src/pages/items/[id].json.ts': prerendered(source),
			'src/pages/ok.txt.ts': prerendered(`export const GET = () => new Response('ok');\n`),
		});
		const error = await failure(build({ root, logger: null }));
		expect(error.code).toBe(code);
		expect(error.file).toBe(path.join(root, 'src/pages/items/[id].json.ts'));
		expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
	});

	it('the cause is kept: a non-Response return carries EndpointDidNotReturnAResponse', async () => {
		const root = makeProject({ 'src/pages/nope.json.ts': prerendered(`export const GET = () => 'nope';\n`) });
		const error = await failure(build({ root, logger: null }));
		expect(error.code).toBe('PrerenderFailed');
		expect((error.cause as SwEndpointsError).code).toBe('EndpointDidNotReturnAResponse');
	});

	it('a static prerendered endpoint throwing → PrerenderFailed naming it', async () => {
		const root = makeProject({ 'src/pages/boom.json.ts': prerendered(`export const GET = () => { throw new Error('boom'); };\n`) });
		const error = await failure(build({ root, logger: null }));
		expect(error.code).toBe('PrerenderFailed');
		expect(error.file).toBe(path.join(root, 'src/pages/boom.json.ts'));
	});

	it('two routes emitting the same file → PrerenderPathCollision', async () => {
		const root = makeProject({
			'src/pages/items/x.json.ts': prerendered(`export const GET = () => new Response('static');\n`),
			'src/pages/items/[id].json.ts': prerendered(
				`export const getStaticPaths = () => [{ params: { id: 'x' } }];\nexport const GET = () => new Response('dynamic');\n`,
			),
		});
		const error = await failure(build({ root, logger: null }));
		expect(error.code).toBe('PrerenderPathCollision');
		expect([path.join(root, 'src/pages/items/x.json.ts'), path.join(root, 'src/pages/items/[id].json.ts')]).toContain(error.file);
	});

	it('after a failed rebuild the previous good output in `out` is untouched', async () => {
		const root = makeProject({
			'src/pages/items/[id].json.ts': GOOD_DYNAMIC,
			'src/pages/data.json.ts': prerendered(`export const GET = () => Response.json({ v: 1 });\n`),
			'src/pages/api/live.ts': `export const GET = () => new Response('live');\n`,
			'public/app.css': 'body { color: red }\n',
		});
		await build({ root, out: 'site', logger: null });
		const out = path.join(root, 'site');
		const before = readTree(out);
		expect(Object.keys(before)).toEqual(expect.arrayContaining(['items/a.json', 'data.json', 'app.css', 'sw.js', 'sw-client.js']));

		// change what would be emitted, then break one endpoint
		writeFiles(root, {
			'src/pages/data.json.ts': prerendered(`export const GET = () => Response.json({ v: 2 });\n`),
			'src/pages/api/live.ts': `export const GET = () => new Response('live v2');\n`,
			'public/app.css': 'body { color: blue }\n',
			'public/new.txt': 'new\n',
			'src/pages/items/[id].json.ts': prerendered(
				`export const getStaticPaths = () => [{ params: { id: 'b' } }];\nexport const GET = () => { throw new Error('broken'); };\n`,
			),
		});
		const error = await failure(build({ root, out: 'site', logger: null }));
		expect(error.code).toBe('PrerenderFailed');
		expect(error.file).toBe(path.join(root, 'src/pages/items/[id].json.ts'));
		expect(readTree(out)).toEqual(before);
	});
});

describe('output: static', () => {
	it('prerenders every endpoint without `prerender = false`; those stay on demand and in the worker', async () => {
		const root = makeProject({
			'src/pages/a.json.ts': `export const GET = () => Response.json({ a: 'STATIC_A_MARKER' });\n`,
			'src/pages/b.txt.ts': `export const prerender = true;\nexport const GET = () => new Response('b');\n`,
			'src/pages/live.ts': `export const prerender = false;\nexport const GET = () => new Response('LIVE_MARKER_93');\n`,
		});
		const result = await build({ root, config: { output: 'static' }, minify: false, logger: null });
		expect(result.prerendered.map((f: { path: string }) => f.path)).toEqual(['a.json', 'b.txt']);
		expect(fs.readFileSync(path.join(result.out, 'a.json'), 'utf8')).toBe('{"a":"STATIC_A_MARKER"}');
		expect(fs.existsSync(path.join(result.out, 'live'))).toBe(false);
		const sw = fs.readFileSync(result.worker, 'utf8');
		expect(sw).toContain('LIVE_MARKER_93');
		expect(sw).not.toContain('STATIC_A_MARKER');
	});

	it('with output: server (the default) only `prerender = true` endpoints are prerendered', async () => {
		const root = makeProject({
			'src/pages/a.json.ts': `export const GET = () => Response.json({ a: 1 });\n`,
			'src/pages/b.txt.ts': `export const prerender = true;\nexport const GET = () => new Response('b');\n`,
		});
		const result = await build({ root, logger: null });
		expect(result.prerendered.map((f: { path: string }) => f.path)).toEqual(['b.txt']);
	});
});

describe('public/ and the precache', () => {
	const files = {
		'src/pages/data.json.ts': prerendered(`export const GET = () => Response.json({ from: 'endpoint' });\n`),
		'src/pages/other.txt.ts': prerendered(`export const GET = () => new Response('other v1');\n`),
		'public/data.json': '{"from":"public"}',
		'public/img/logo.svg': '<svg/>',
	};
	const revisions = (r: Awaited<ReturnType<typeof build>>) =>
		Object.fromEntries(r.precache.files.map((f: { url: string; revision: string }) => [f.url, f.revision]));

	it('a public/ file with the same path wins over the prerendered output, with a warning', async () => {
		const root = makeProject(files);
		const logger = recordingLogger();
		const result = await build({ root, logger });
		expect(fs.readFileSync(path.join(result.out, 'data.json'), 'utf8')).toBe('{"from":"public"}');
		expect(logger.lines.warn.some((l) => l.includes('data.json'))).toBe(true);
		// listed once in the precache, with the public file's revision
		const urls = result.precache.files.map((f: { url: string }) => f.url);
		expect(urls.filter((u: string) => u === 'data.json')).toHaveLength(1);
		expect(urls.sort()).toEqual(['data.json', 'img/logo.svg', 'other.txt', 'sw-client.js']);

		// the revision follows the public file, not the endpoint's body
		writeFiles(root, { 'src/pages/data.json.ts': prerendered(`export const GET = () => Response.json({ from: 'endpoint v2' });\n`) });
		const again = await build({ root, logger: null });
		expect(revisions(again)['data.json']).toBe(revisions(result)['data.json']);
		expect(again.precache.version).toBe(result.precache.version);
	});

	it('revisions follow content and the version changes with any of them', async () => {
		const root = makeProject(files);
		const first = await build({ root, logger: null });
		const same = await build({ root, logger: null });
		expect(same.precache).toEqual(first.precache);

		// a prerendered output changes
		writeFiles(root, { 'src/pages/other.txt.ts': prerendered(`export const GET = () => new Response('other v2');\n`) });
		const second = await build({ root, logger: null });
		expect(revisions(second)['other.txt']).not.toBe(revisions(first)['other.txt']);
		expect({ ...revisions(second), 'other.txt': '' }).toEqual({ ...revisions(first), 'other.txt': '' });
		expect(second.precache.version).not.toBe(first.precache.version);

		// a public file changes
		writeFiles(root, { 'public/img/logo.svg': '<svg viewBox="0 0 1 1"/>' });
		const third = await build({ root, logger: null });
		expect(revisions(third)['img/logo.svg']).not.toBe(revisions(second)['img/logo.svg']);
		expect({ ...revisions(third), 'img/logo.svg': '' }).toEqual({ ...revisions(second), 'img/logo.svg': '' });
		expect(third.precache.version).not.toBe(second.precache.version);

		// sw-client.js changes (an unminified client)
		const fourth = await build({ root, minify: false, logger: null });
		expect(revisions(fourth)['sw-client.js']).not.toBe(revisions(third)['sw-client.js']);
		expect({ ...revisions(fourth), 'sw-client.js': '' }).toEqual({ ...revisions(third), 'sw-client.js': '' });
		expect(fourth.precache.version).not.toBe(third.precache.version);
	});
});
