// Build-time route analysis (build/routes.mjs) against the rules of
// tests/conformance/spec.md §1 "Files → routes" and "Priority".
import { describe, expect, it } from 'vitest';
import {
	collisionWarnings,
	getParts,
	getPattern,
	readPrerenderExport,
	redirectRoutes,
	routeComparator,
	scanPages,
	validateSegment,
} from '../../build/routes.mjs';
import { SwEndpointsError } from '../../sw/core/errors.js';
import { makeProject, pagesProject } from './helpers.ts';

type Slash = 'always' | 'never' | 'ignore';
type Route = ReturnType<typeof scanPages>['routes'][number];

const SERVER = { trailingSlash: 'ignore' as Slash, output: 'server' as const };

/** Scans a temp project made of `pages` (relative to src/pages) and returns its routes, sorted. */
function sortedRoutes(pages: string[], config: { trailingSlash: Slash; output: 'static' | 'server' } = SERVER): Route[] {
	return scanPages(pagesProject(pages), config).routes.sort(routeComparator);
}

/** The error `fn` throws (fails the test if it does not throw). */
function thrown(fn: () => unknown): SwEndpointsError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(SwEndpointsError);
		return error as SwEndpointsError;
	}
	throw new Error('expected a throw');
}

describe('which files are routes', () => {
	const files = [
		'index.ts',
		'api/a.ts',
		'api/b.js',
		'api/c.mjs',
		'api/d.mts',
		'api/e.cjs',
		'api/f.tsx',
		'api/g.jsx',
		'api/h.astro',
		'api/i.d.json',
		'api/_private.ts',
		'api/_private.json.ts',
		'_dir/x.ts',
		'_dir/index.ts',
		'api/.hidden.ts',
		'.dotdir/x.ts',
		'.well-known/security.txt.ts',
		'api/data.json.ts',
		'feed.xml.js',
		'api/index.ts',
		'dir/index.json.ts',
		'dir/nested/index.js',
		'dir/indexes.ts',
	];
	const root = pagesProject(files);
	const { routes, warnings } = scanPages(root, SERVER);
	const byRoute = new Map(routes.map((r) => [r.route, r]));

	it('keeps only .ts/.js outside _-prefixed and dot names (except .well-known)', () => {
		expect([...byRoute.keys()].sort()).toEqual(
			['/', '/api/a', '/api/b', '/.well-known/security.txt', '/api/data.json', '/feed.xml', '/api', '/dir/index.json', '/dir/nested', '/dir/indexes'].sort(),
		);
		expect(routes).toHaveLength(10);
	});

	it.each([
		['/', 'src/pages/index.ts', true, '/'],
		['/api/a', 'src/pages/api/a.ts', false, '/api/a'],
		['/api/b', 'src/pages/api/b.js', false, '/api/b'],
		['/api/data.json', 'src/pages/api/data.json.ts', false, '/api/data.json'],
		['/feed.xml', 'src/pages/feed.xml.js', false, '/feed.xml'],
		['/api', 'src/pages/api/index.ts', true, '/api'],
		['/dir/index.json', 'src/pages/dir/index.json.ts', false, '/dir/index.json'],
		['/dir/nested', 'src/pages/dir/nested/index.js', true, '/dir/nested'],
		['/dir/indexes', 'src/pages/dir/indexes.ts', false, '/dir/indexes'],
		['/.well-known/security.txt', 'src/pages/.well-known/security.txt.ts', false, '/.well-known/security.txt'],
	])('%s comes from %s (isIndex %s)', (route, component, isIndex, pathname) => {
		const r = byRoute.get(route);
		expect(r).toBeDefined();
		expect(r!.component).toBe(component);
		expect(r!.file).toBe(`${root}/${component}`);
		expect(r!.type).toBe('endpoint');
		expect(r!.isIndex).toBe(isIndex);
		expect(r!.params).toEqual([]);
		expect(r!.pathname).toBe(pathname);
	});

	it('warns about .tsx/.jsx/.astro pages but not about .mjs/.cjs/.mts or ignored names', () => {
		const warned = (file: string) => warnings.some((w) => w.includes(file));
		expect(warned('src/pages/api/f.tsx')).toBe(true);
		expect(warned('src/pages/api/g.jsx')).toBe(true);
		expect(warned('src/pages/api/h.astro')).toBe(true);
		for (const quiet of ['c.mjs', 'd.mts', 'e.cjs', '_private', '.hidden', 'i.d.json']) expect(warned(quiet)).toBe(false);
	});

	it('a project without src/pages is an error', () => {
		const root = makeProject({ 'README.md': 'no pages' });
		expect(thrown(() => scanPages(root, SERVER)).code).toBe('MissingPagesDirectory');
	});
});

describe('dynamic routes: routePattern and params', () => {
	it.each([
		['api/posts/[id].ts', '/api/posts/[id]', ['id']],
		['api/catch/[...all].ts', '/api/catch/[...all]', ['all']],
		['api/docs/[lang]-[version].ts', '/api/docs/[lang]-[version]', ['lang', 'version']],
		['api/v[major].[minor].json.ts', '/api/v[major].[minor].json', ['major', 'minor']],
		['api/files/[...path].json.ts', '/api/files/[...path].json', ['path']],
		['[org]/[repo]/issues/[n].ts', '/[org]/[repo]/issues/[n]', ['org', 'repo', 'n']],
		['[lang]/index.ts', '/[lang]', ['lang']],
		['api/[$x_1].ts', '/api/[$x_1]', ['$x_1']],
	])('%s → %s %j', (file, route, params) => {
		const [r] = sortedRoutes([file]);
		expect(r.route).toBe(route);
		expect(r.params).toEqual(params);
		expect(r.pathname).toBeUndefined();
		expect(r.component).toBe(`src/pages/${file}`);
	});

	it('getParts splits static text and params, marking rest params', () => {
		expect(getParts('v[major].[minor].json', 'f')).toEqual([
			{ content: 'v', dynamic: false, spread: false },
			{ content: 'major', dynamic: true, spread: false },
			{ content: '.', dynamic: false, spread: false },
			{ content: 'minor', dynamic: true, spread: false },
			{ content: '.json', dynamic: false, spread: false },
		]);
		expect(getParts('[...path].json', 'f')).toEqual([
			{ content: '...path', dynamic: true, spread: true },
			{ content: '.json', dynamic: false, spread: false },
		]);
		expect(getParts('plain', 'f')).toEqual([{ content: 'plain', dynamic: false, spread: false }]);
	});
});

describe('route regexes', () => {
	const files = [
		'index.ts',
		'api/posts/[id].ts',
		'api/data.json.ts',
		'api/feed.xml.js',
		'api/plain.ts',
		'api/catch/[...all].ts',
		'api/docs/[lang]-[version].ts',
		'api/v[major].[minor].json.ts',
		'api/files/[...path].json.ts',
		'api/a+b.ts',
		'api/index.ts',
	];
	const root = pagesProject(files);
	const scans = Object.fromEntries(
		(['always', 'never', 'ignore'] as const).map((mode) => [
			mode,
			new Map(scanPages(root, { trailingSlash: mode, output: 'server' }).routes.map((r) => [r.route, r])),
		]),
	) as Record<Slash, Map<string, Route>>;
	const exec = (mode: Slash, route: string, path: string) => {
		const r = scans[mode].get(route);
		if (!r) throw new Error(`no route ${route}`);
		const m = new RegExp(r.pattern).exec(path);
		return m ? m.slice(1) : null;
	};

	it.each<[Slash, string, string, Array<string | undefined> | null]>([
		// trailing slash modes on a dynamic route
		['ignore', '/api/posts/[id]', '/api/posts/7', ['7']],
		['ignore', '/api/posts/[id]', '/api/posts/7/', ['7']],
		['always', '/api/posts/[id]', '/api/posts/7', null],
		['always', '/api/posts/[id]', '/api/posts/7/', ['7']],
		['never', '/api/posts/[id]', '/api/posts/7', ['7']],
		['never', '/api/posts/[id]', '/api/posts/7/', null],
		['ignore', '/api/posts/[id]', '/api/posts', null],
		['ignore', '/api/posts/[id]', '/api/posts/', null],
		['ignore', '/api/posts/[id]', '/api/posts/7/8', null],
		['ignore', '/api/posts/[id]', '/api/posts/v1.2', ['v1.2']],
		['always', '/api/posts/[id]', '/api/posts/v1.2', null],
		// static text is case-sensitive
		['ignore', '/api/posts/[id]', '/API/posts/7', null],
		['ignore', '/api/plain', '/api/Plain', null],
		// trailing slash modes on a static route
		['ignore', '/api/plain', '/api/plain', []],
		['ignore', '/api/plain', '/api/plain/', []],
		['always', '/api/plain', '/api/plain', null],
		['always', '/api/plain', '/api/plain/', []],
		['never', '/api/plain', '/api/plain/', null],
		['ignore', '/api', '/api', []],
		['ignore', '/api', '/api/', []],
		// file-extension static endpoints are always `never`
		['always', '/api/data.json', '/api/data.json', []],
		['always', '/api/data.json', '/api/data.json/', null],
		['ignore', '/api/data.json', '/api/data.json', []],
		['ignore', '/api/data.json', '/api/data.json/', null],
		['never', '/api/data.json', '/api/data.json/', null],
		['always', '/api/feed.xml', '/api/feed.xml', []],
		['ignore', '/api/feed.xml', '/api/feed.xml/', null],
		// the static `.` is literal, `+` escaped
		['ignore', '/api/data.json', '/api/dataxjson', null],
		['ignore', '/api/a+b', '/api/a+b', []],
		['ignore', '/api/a+b', '/api/aab', null],
		// root
		['ignore', '/', '/', []],
		['always', '/', '/', []],
		['never', '/', '/', []],
		['ignore', '/', '', null],
		['ignore', '/', '//', null],
		// a rest segment also matches nothing
		['ignore', '/api/catch/[...all]', '/api/catch', [undefined]],
		['ignore', '/api/catch/[...all]', '/api/catch/', ['']],
		['ignore', '/api/catch/[...all]', '/api/catch/a', ['a']],
		['ignore', '/api/catch/[...all]', '/api/catch/a/b/c', ['a/b/c']],
		['always', '/api/catch/[...all]', '/api/catch/a/b/', ['a/b']],
		['ignore', '/api/catch/[...all]', '/api/catchall', null],
		// lazy params inside one segment
		['ignore', '/api/docs/[lang]-[version]', '/api/docs/en-us-v2', ['en', 'us-v2']],
		['ignore', '/api/docs/[lang]-[version]', '/api/docs/en', null],
		['ignore', '/api/docs/[lang]-[version]', '/api/docs/-x', null],
		['ignore', '/api/v[major].[minor].json', '/api/v1.2.json', ['1', '2']],
		['ignore', '/api/v[major].[minor].json', '/api/v10.20.json', ['10', '20']],
		['ignore', '/api/v[major].[minor].json', '/api/v1.json', null],
		['ignore', '/api/v[major].[minor].json', '/api/x1.2.json', null],
		// a rest param inside a segment spans slashes
		['ignore', '/api/files/[...path].json', '/api/files/a/b.json', ['a/b']],
		['ignore', '/api/files/[...path].json', '/api/files/x.json', ['x']],
		['ignore', '/api/files/[...path].json', '/api/files/x.txt', null],
	])('%s: %s matches %j → %j', (mode, route, path, groups) => {
		expect(exec(mode, route, path)).toEqual(groups);
	});

	it('the root pattern is ^\\/$ in every mode', () => {
		for (const mode of ['always', 'never', 'ignore'] as const) expect(scans[mode].get('/')!.pattern).toBe('^\\/$');
	});

	it.each<[Slash, string]>([
		['always', '^\\/api\\/posts\\/([^/]+?)\\/$'],
		['never', '^\\/api\\/posts\\/([^/]+?)$'],
		['ignore', '^\\/api\\/posts\\/([^/]+?)\\/?$'],
	])('getPattern(%s) for /api/posts/[id]', (mode, source) => {
		const segments = ['api', 'posts', '[id]'].map((s) => getParts(s, 'f'));
		expect(getPattern(segments, mode)).toBe(source);
	});

	it('getPattern encodes ? and # in static text', () => {
		const re = new RegExp(getPattern([getParts('what?#', 'f')], 'never'));
		expect(re.test('/what%3F%23')).toBe(true);
		expect(re.test('/what')).toBe(false);
	});
});

describe('priority (routeComparator)', () => {
	it.each<[string, string[], string[]]>([
		[
			'static < dynamic < shorter < rest',
			['posts/[...rest].ts', 'posts/index.ts', 'posts/[id].ts', 'posts/new.ts'],
			['/posts/new', '/posts/[id]', '/posts', '/posts/[...rest]'],
		],
		['mixed segment before a param-only one', ['docs/[slug].ts', 'docs/[lang]-[version].ts'], ['/docs/[lang]-[version]', '/docs/[slug]']],
		['v[major].[minor].json before [slug]', ['api/[slug].ts', 'api/v[major].[minor].json.ts'], ['/api/v[major].[minor].json', '/api/[slug]']],
		['more segments first (dynamic)', ['[a].ts', '[a]/[b].ts', '[a]/[b]/[c].ts'], ['/[a]/[b]/[c]', '/[a]/[b]', '/[a]']],
		['more segments first (static)', ['x/index.ts', 'x/y.ts', 'x/y/z.ts'], ['/x/y/z', '/x/y', '/x']],
		['/foo before /foo/[...x]', ['foo/[...x].ts', 'foo.ts'], ['/foo', '/foo/[...x]']],
		['a deeper static route before a rest', ['foo/[...x].ts', 'foo/bar/baz.ts'], ['/foo/bar/baz', '/foo/[...x]']],
		['a two-segment route before a shorter rest', ['[...x].ts', 'a/[b].ts'], ['/a/[b]', '/[...x]']],
		['static text in alphabetical order', ['b.ts', 'c/index.ts', 'a.ts'], ['/a', '/b', '/c']],
		['static before dynamic at the first segment', ['[slug].ts', 'about.ts'], ['/about', '/[slug]']],
		['param before rest', ['[...rest].ts', '[slug].ts'], ['/[slug]', '/[...rest]']],
		['a rest inside a segment before a bare rest', ['files/[...path].ts', 'files/[...path].json.ts'], ['/files/[...path].json', '/files/[...path]']],
		['a nested static beats shallower params', ['api/[a]/[b].ts', 'api/deep/x/y.ts', 'api/[...rest].ts'], ['/api/deep/x/y', '/api/[a]/[b]', '/api/[...rest]']],
	])('%s', (_name, pages, expected) => {
		const routes = sortedRoutes(pages);
		expect(routes.map((r) => r.route)).toEqual(expected);
		// The order does not depend on the input order, and the comparator is antisymmetric.
		expect(
			[...routes]
				.reverse()
				.sort(routeComparator)
				.map((r) => r.route),
		).toEqual(expected);
		for (const a of routes) {
			for (const b of routes) {
				if (a !== b) expect(Math.sign(routeComparator(a, b))).toBe(-Math.sign(routeComparator(b, a)));
			}
		}
	});

	it('the first matching route in sorted order is the one the spec names', () => {
		const routes = sortedRoutes(['posts/[...rest].ts', 'posts/index.ts', 'posts/[id].ts', 'posts/new.ts']);
		const first = (path: string) => routes.find((r) => new RegExp(r.pattern).test(path))?.route;
		expect(first('/posts/new')).toBe('/posts/new');
		expect(first('/posts/7')).toBe('/posts/[id]');
		expect(first('/posts')).toBe('/posts');
		expect(first('/posts/a/b')).toBe('/posts/[...rest]');
	});

	it('config redirects sort with file routes', () => {
		const file = sortedRoutes(['blog/new.ts', 'blog/[...rest].ts']);
		const all = [...file, ...redirectRoutes({ '/blog/[slug]': '/posts/[slug]' }, 'ignore')].sort(routeComparator);
		expect(all.map((r) => `${r.type} ${r.route}`)).toEqual(['endpoint /blog/new', 'redirect /blog/[slug]', 'endpoint /blog/[...rest]']);
	});
});

describe('invalid file names', () => {
	it.each([
		['[a-b].ts', 'InvalidParameterName', 'src/pages/[a-b].ts'],
		['api/[a b].ts', 'InvalidParameterName', 'src/pages/api/[a b].ts'],
		['api/[...].ts', 'InvalidParameterName', 'src/pages/api/[...].ts'],
		['[a][b].ts', 'InvalidRouteFileName', 'src/pages/[a][b].ts'],
		['api/x[a][b]y.json.ts', 'InvalidRouteFileName', 'src/pages/api/x[a][b]y.json.ts'],
		['[id.ts', 'InvalidRouteFileName', 'src/pages/[id.ts'],
		['id].ts', 'InvalidRouteFileName', 'src/pages/id].ts'],
		['api/[a-b]/index.ts', 'InvalidParameterName', 'src/pages/api/[a-b]'],
	])('%s → %s', (page, code, file) => {
		const root = pagesProject([page]);
		const error = thrown(() => scanPages(root, SERVER));
		expect(error.code).toBe(code);
		expect(error.name).toBe(code);
		expect(error.file).toBe(file);
	});

	it('an ignored file with a bad name is not an error', () => {
		expect(sortedRoutes(['_[a-b].ts', '_x/[a][b].ts', 'ok.ts']).map((r) => r.route)).toEqual(['/ok']);
	});

	it.each([
		['[a][b]', 'InvalidRouteFileName'],
		['[a', 'InvalidRouteFileName'],
		['a]', 'InvalidRouteFileName'],
		['[[a]]', undefined],
	])('validateSegment(%j)', (segment, code) => {
		if (code) expect(thrown(() => validateSegment(segment, 'the-file')).code).toBe(code);
		else expect(() => validateSegment(segment, 'the-file')).not.toThrow();
	});

	it.each(['a-b', 'a.b', 'a b', '...', 'ü'])('getParts(x[%s]y) → InvalidParameterName naming the file', (name) => {
		const error = thrown(() => getParts(`x[${name}]y`, 'src/pages/the-file.ts'));
		expect(error.code).toBe('InvalidParameterName');
		expect(error.file).toBe('src/pages/the-file.ts');
	});
});

describe('collision warnings', () => {
	const warningsFor = (pages: string[], output: 'static' | 'server' = 'server') => {
		const root = pagesProject(pages);
		const routes = scanPages(root, { trailingSlash: 'ignore', output }).routes.sort(routeComparator);
		return collisionWarnings(routes);
	};

	it.each<[string, string[], string[][]]>([
		['same dynamic shape in one folder', ['[a].ts', '[b].ts'], [['src/pages/[a].ts', 'src/pages/[b].ts']]],
		['same shape deeper', ['posts/[id].ts', 'posts/[slug].ts', 'posts/new.ts'], [['src/pages/posts/[id].ts', 'src/pages/posts/[slug].ts']]],
		['same rest shape', ['x/[...a].ts', 'x/[...b].ts'], [['src/pages/x/[...a].ts', 'src/pages/x/[...b].ts']]],
		['same static path from .ts and .js', ['a.ts', 'a.js'], [['src/pages/a.js', 'src/pages/a.ts']]],
		['same static path from a file and an index', ['a.ts', 'a/index.ts'], [['src/pages/a.ts', 'src/pages/a/index.ts']]],
		['different shapes', ['[a].ts', '[a].json.ts', '[...a].ts', 'x/[a].ts'], []],
		['params vs rest', ['[a].ts', '[...b].ts'], []],
	])('%s', (_name, pages, expected) => {
		const warnings = warningsFor(pages);
		expect(warnings).toHaveLength(expected.length);
		expected.forEach((files, i) => {
			for (const f of files) expect(warnings[i]).toContain(f);
			expect(warnings[i]).toContain('A collision will result in a hard error');
		});
	});

	it('redirects are not endpoints and do not collide', () => {
		const routes = [...sortedRoutes(['[a].ts']), ...redirectRoutes({ '/[b]': '/x/[b]' }, 'ignore')].sort(routeComparator);
		expect(collisionWarnings(routes)).toEqual([]);
	});
});

describe('export const prerender', () => {
	it.each<[string, boolean | undefined]>([
		['export const prerender = true;', true],
		['export const prerender = false;', false],
		['export const prerender=true', true],
		['  export const prerender = true', true],
		['export const prerender: boolean = true;', true],
		['import x from "y";\nexport const prerender = false;\nexport const GET = () => x;', false],
		['// export const prerender = true', undefined],
		['/* export const prerender = true */', undefined],
		['export const prerender = import.meta.env.PRERENDER;', undefined],
		['export const prerender = truthy;', undefined],
		['export const prerenderX = true;', undefined],
		['const prerender = true;', undefined],
		['export const GET = () => new Response()', undefined],
		['', undefined],
	])('%j → %s', (source, expected) => {
		expect(readPrerenderExport(source)).toBe(expected);
	});

	it.each<[string, 'static' | 'server', boolean]>([
		['export const GET = () => new Response();', 'server', false],
		['export const GET = () => new Response();', 'static', true],
		['export const prerender = true;\nexport const GET = () => new Response();', 'server', true],
		['export const prerender = false;\nexport const GET = () => new Response();', 'static', false],
	])('scanPages: %j with output %s → prerender %s', (source, output, prerender) => {
		const root = makeProject({ 'src/pages/x.ts': source });
		expect(scanPages(root, { trailingSlash: 'ignore', output }).routes[0].prerender).toBe(prerender);
	});
});

describe('redirectRoutes', () => {
	it('makes redirect routes with params from the config keys', () => {
		const routes = redirectRoutes(
			{ '/old': '/new', '/blog/[slug]': { status: 302, destination: '/posts/[slug]' }, '/docs/[...rest]': '/d/[...rest]' },
			'ignore',
		);
		expect(routes.map((r) => [r.type, r.route, r.params, r.redirect, r.component])).toEqual([
			['redirect', '/old', [], { destination: '/new' }, '/old'],
			['redirect', '/blog/[slug]', ['slug'], { status: 302, destination: '/posts/[slug]' }, '/blog/[slug]'],
			['redirect', '/docs/[...rest]', ['rest'], { destination: '/d/[...rest]' }, '/docs/[...rest]'],
		]);
		const [old, blog, docs] = routes.map((r) => new RegExp(r.pattern));
		expect(old.test('/old')).toBe(true);
		expect(old.test('/old/')).toBe(true);
		expect(old.test('/older')).toBe(false);
		expect(blog.exec('/blog/hello')?.[1]).toBe('hello');
		expect(docs.exec('/docs')?.[1]).toBeUndefined();
		expect(docs.exec('/docs/a/b')?.[1]).toBe('a/b');
	});

	it('follows the trailing slash mode', () => {
		const [r] = redirectRoutes({ '/old': '/new' }, 'never');
		expect(new RegExp(r.pattern).test('/old/')).toBe(false);
		const [a] = redirectRoutes({ '/old': '/new' }, 'always');
		expect(new RegExp(a.pattern).test('/old')).toBe(false);
	});

	it.each<[Record<string, any>, string]>([
		[{ '/x': 42 }, 'InvalidRedirect'],
		[{ '/x': null }, 'InvalidRedirect'],
		[{ '/x': { status: 301 } }, 'InvalidRedirect'],
		[{ '/[a-b]': '/y' }, 'InvalidParameterName'],
		[{ '/[a][b]': '/y' }, 'InvalidRouteFileName'],
	])('%j → %s', (redirects, code) => {
		expect(thrown(() => redirectRoutes(redirects, 'ignore')).code).toBe(code);
	});

	it('no redirects → no routes', () => {
		expect(redirectRoutes(undefined as never, 'ignore')).toEqual([]);
		expect(redirectRoutes({}, 'ignore')).toEqual([]);
	});
});
