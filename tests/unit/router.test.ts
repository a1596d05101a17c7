// Runtime pathname handling and matching (sw/core/router.ts) against
// tests/conformance/spec.md §1 "URL → pathname", "Trailing slash", "Priority" and §7.
import { describe, expect, it } from 'vitest';
import { getParts, getPattern, routeComparator } from '../../build/routes.mjs';
import {
	decodePathname,
	findRequestRoute,
	findRoute,
	matchRoute,
	redirectDestination,
	stripBase,
	trailingSlashRedirect,
	type RouteEntry,
} from '../../sw/core/router.ts';

/** `s` percent-encoded `levels` times (`a` → `%61` → `%2561` → `%252561` …). */
function encodeLevels(s: string, levels: number): string {
	let out = s.replace(/./g, (c) => `%${c.charCodeAt(0).toString(16)}`);
	for (let i = 1; i < levels; i++) out = out.replace(/%/g, '%25');
	return out;
}

describe('decodePathname', () => {
	it.each([
		['/plain', '/plain'],
		['/hello%20world', '/hello world'],
		['/caf%C3%A9', '/café'],
		['/a%2Fb', '/a%2Fb'],
		['/%3F%23%26%2B%3A%40%24%2C%3B%3D', '/%3F%23%26%2B%3A%40%24%2C%3B%3D'],
		['/%2561', '/a'],
		['/%252F', '/%2F'],
		['/%2520', '/ '],
		['/100%25', '/100%'],
		['/100%2525', '/100%'],
		['/%E0%A4%A', '/%E0%A4%A'],
		['/x/%E0%A4%A/y', '/x/%E0%A4%A/y'],
		['/api//posts/7', '/api/posts/7'],
		['//api/posts/7', '/api/posts/7'],
		['/a///b//', '/a/b/'],
		['/a%2F%2Fb', '/a%2F%2Fb'],
		['/', '/'],
	])('%s → %s', (raw, pathname) => {
		expect(decodePathname(raw)).toMatchObject({ ok: true, pathname });
	});

	it('keeps the path before collapsing beside it', () => {
		expect(decodePathname('/a//b%20c')).toEqual({ ok: true, pathname: '/a/b c', uncollapsed: '/a//b c' });
	});

	it('encodeLevels builds the nesting the tests rely on', () => {
		expect(encodeLevels('a', 1)).toBe('%61');
		expect(encodeLevels('a', 3)).toBe('%252561');
	});

	it.each([1, 2, 5, 9, 10])('%i levels of encoding decode fully', (levels) => {
		expect(decodePathname(`/x/${encodeLevels('a', levels)}`)).toEqual({ ok: true, pathname: '/x/a', uncollapsed: '/x/a' });
	});

	it.each([11, 12, 20])('%i levels of encoding → 400', (levels) => {
		expect(decodePathname(`/x/${encodeLevels('a', levels)}`)).toEqual({ ok: false, status: 400 });
	});
});

describe('trailingSlashRedirect', () => {
	const modes = ['always', 'never', 'ignore'] as const;

	it.each(['/', '/_x', '/_x/', '/_image', '/@x', '/@fs/a', '/.x', '/.well-known/a', '//x', '//x//', '/_x//'])('%s never redirects', (path) => {
		for (const mode of modes) expect(trailingSlashRedirect(path, mode)).toBeUndefined();
	});

	it.each<[string, (typeof modes)[number], string | undefined]>([
		// a run of trailing slashes collapses in every mode
		['/a//', 'ignore', '/a/'],
		['/a//', 'always', '/a/'],
		['/a//', 'never', '/a'],
		['/a/b///', 'ignore', '/a/b/'],
		['/a/b.json//', 'ignore', '/a/b.json/'],
		['/a/b.json//', 'never', '/a/b.json'],
		// always: adds the slash except for file-extension paths
		['/a', 'always', '/a/'],
		['/a/b', 'always', '/a/b/'],
		['/a/', 'always', undefined],
		['/a.json', 'always', undefined],
		['/api/data.json', 'always', undefined],
		['/api/items/v1.2', 'always', undefined],
		['/api/data.json/', 'always', undefined],
		['/a.b/c', 'always', '/a.b/c/'],
		// never: removes the slash, never adds one
		['/a/', 'never', '/a'],
		['/a/b/', 'never', '/a/b'],
		['/a.json/', 'never', '/a.json'],
		['/a', 'never', undefined],
		['/a.json', 'never', undefined],
		// ignore: only the collapse rule
		['/a', 'ignore', undefined],
		['/a/', 'ignore', undefined],
		['/a.json/', 'ignore', undefined],
		// slashes inside the path are the decoder's business, not a redirect
		['/a//b', 'ignore', undefined],
		['/a//b', 'never', undefined],
		// a path of slashes only is not internal: it goes to the root in every mode
		['//', 'ignore', '/'],
		['//', 'never', '/'],
		['///', 'always', '/'],
	])('%s with %s → %s', (path, mode, expected) => {
		expect(trailingSlashRedirect(path, mode)).toBe(expected);
	});

	// A backtracking regex took 6.8 s for 100,000 slashes before an `x`; a million
	// would not finish within the test's timeout. Linear code answers at once.
	it.each<[string, string, (typeof modes)[number], string | undefined]>([
		['a long run of inner slashes', `/api/files/${'/'.repeat(1_000_000)}x`, 'never', undefined],
		['a long run of trailing slashes', `/api/${'/'.repeat(1_000_000)}`, 'never', '/api'],
		['a long run of trailing slashes, always', `/api/${'/'.repeat(1_000_000)}`, 'always', '/api/'],
		['a last segment of many dots', `/api/${'a.'.repeat(500_000)}`, 'always', `/api/${'a.'.repeat(500_000)}/`],
		['a last segment of many dots and an extension', `/api/${'a.'.repeat(500_000)}json`, 'always', undefined],
	])('%s: answered in linear time', (_what, path, mode, expected) => {
		expect(trailingSlashRedirect(path, mode)).toBe(expected);
	});
});

/** A runtime route entry for `route` (a routePattern such as `/posts/[id]`), computed as the build does. */
function entry(route: string, prerender = false, trailingSlash: 'always' | 'never' | 'ignore' = 'ignore'): RouteEntry {
	const segments = route
		.split('/')
		.filter(Boolean)
		.map((s) => getParts(s, route));
	const prefix: string[] = [];
	for (const s of segments) {
		if (s.length !== 1 || s[0].dynamic) break;
		prefix.push(s[0].content);
	}
	return {
		route,
		type: 'endpoint',
		component: `src/pages${route}.ts`,
		pattern: getPattern(segments, trailingSlash),
		params: segments
			.flat()
			.filter((p) => p.dynamic)
			.map((p) => p.content.replace(/^\.\.\./, '')),
		prefix: prefix.length ? `/${prefix.join('/')}` : '',
		prerender,
		segments,
	};
}

/** Entries sorted in Astro's priority order. */
function table(...routes: RouteEntry[]): RouteEntry[] {
	return routes.sort((a, b) => routeComparator(a as never, b as never));
}

describe('matchRoute', () => {
	const routes = table(
		entry('/posts/[...rest]'),
		entry('/posts'),
		entry('/posts/[id]'),
		entry('/posts/new'),
		entry('/docs/[lang]-[version]'),
		entry('/docs/[slug]'),
		entry('/files/[...path].json'),
		entry('/catch/[...all]'),
		entry('/'),
	);

	it('the table is in priority order', () => {
		expect(routes.map((r) => r.route)).toEqual([
			'/catch/[...all]',
			'/docs/[lang]-[version]',
			'/docs/[slug]',
			'/files/[...path].json',
			'/posts/new',
			'/posts/[id]',
			'/posts',
			'/posts/[...rest]',
			'/',
		]);
	});

	it.each<[string, string | undefined, Record<string, string | undefined>?]>([
		['/posts/new', '/posts/new', {}],
		['/posts/7', '/posts/[id]', { id: '7' }],
		['/posts/7/', '/posts/[id]', { id: '7' }],
		['/posts', '/posts', {}],
		['/posts/', '/posts', {}],
		['/posts/a/b', '/posts/[...rest]', { rest: 'a/b' }],
		['/posts/a%2Fb', '/posts/[id]', { id: 'a%2Fb' }],
		['/posts/hello world', '/posts/[id]', { id: 'hello world' }],
		['/docs/en-us-v2', '/docs/[lang]-[version]', { lang: 'en', version: 'us-v2' }],
		['/docs/intro', '/docs/[slug]', { slug: 'intro' }],
		['/files/a/b.json', '/files/[...path].json', { path: 'a/b' }],
		['/files/.json', '/files/[...path].json', { path: undefined }],
		['/catch', '/catch/[...all]', { all: undefined }],
		['/catch/', '/catch/[...all]', { all: undefined }],
		['/catch/x/y', '/catch/[...all]', { all: 'x/y' }],
		['/', '/', {}],
		['/Posts/7', undefined],
		['/postsx', undefined],
		['/other', undefined],
	])('%s → %s %j', (path, route, params) => {
		const m = matchRoute(routes, path);
		expect(m?.route.route).toBe(route);
		if (route) expect(m!.params).toStrictEqual(params);
	});

	it('an empty rest param is present as undefined', () => {
		const m = matchRoute(routes, '/catch');
		expect(Object.keys(m!.params)).toEqual(['all']);
	});

	describe('onDemand skips prerendered endpoints', () => {
		const mixed = table(entry('/data', true), entry('/posts/[id]', true), entry('/posts/[...rest]'), entry('/[slug]'), entry('/live'));

		it.each<[string, boolean, string | undefined, Record<string, string | undefined>?]>([
			// a static prerendered match means "no match" on demand, even though /[slug] would match
			['/data', true, undefined],
			['/data', false, '/data', {}],
			// a dynamic prerendered match lets the next matching route answer
			['/posts/7', true, '/posts/[...rest]', { rest: '7' }],
			['/posts/7', false, '/posts/[id]', { id: '7' }],
			// routes that are not prerendered are unaffected
			['/live', true, '/live', {}],
			['/x', true, '/[slug]', { slug: 'x' }],
			['/posts/a/b', true, '/posts/[...rest]', { rest: 'a/b' }],
		])('%s (onDemand %s) → %s %j', (path, onDemand, route, params) => {
			const m = matchRoute(mixed, path, onDemand);
			expect(m?.route.route).toBe(route);
			if (route) expect(m!.params).toStrictEqual(params);
		});

		it('a dynamic prerendered route with nothing after it → undefined', () => {
			expect(matchRoute(table(entry('/p/[id]', true)), '/p/1', true)).toBeUndefined();
		});

		it('a prerendered config redirect is still served (only endpoints are skipped)', () => {
			const redirect = { ...entry('/old', true), type: 'redirect' as const, redirect: { destination: '/new' } };
			expect(matchRoute([redirect], '/old', true)?.route).toBe(redirect);
		});
	});
});

describe('findRoute', () => {
	const routes = table(entry('/feed.html'), entry('/posts/[id]'), entry('/about'), entry('/'));

	it.each<[string, string, string | undefined]>([
		['/posts/7', '/', '/posts/[id]'],
		['/posts/7.html', '/', '/posts/[id]'],
		['/about/index.html', '/', '/about'],
		['/about.html', '/', '/about'],
		['/index.html', '/', '/'],
		// the path itself matches first: no stripping
		['/feed.html', '/', '/feed.html'],
		['/docs/about.html', '/docs', '/about'],
		['/elsewhere/about', '/docs', undefined],
		['/nothing.html', '/', undefined],
	])('%s (base %s) → %s', (path, base, route) => {
		expect(findRoute(routes, path, base)?.route.route).toBe(route);
	});
});

describe('findRequestRoute', () => {
	const routes = table(entry('/a/b'), entry('/a/[...rest]'), entry('/deep/x/y'), entry('/deep/[...rest]'), entry('/x/y'), entry('/[page]'), entry('/'));
	const decoded = (path: string) => decodePathname(path) as { pathname: string; uncollapsed: string };

	it.each<[string, string, string | undefined, Record<string, string | undefined>]>([
		// matched before collapsing: the static route does not take a path with an inner run
		['/a//b', '/', '/a/[...rest]', { rest: 'b' }],
		['/deep//x/y', '/', '/deep/[...rest]', { rest: 'x/y' }],
		['/deep/x//y', '/', '/deep/[...rest]', { rest: 'x/y' }],
		// nothing matches before collapsing: the collapsed path is matched
		['/x//y', '/', '/x/y', {}],
		// a leading run matches nothing before collapsing
		['//a/b', '/', '/a/b', {}],
		['//one', '/', '/[page]', { page: 'one' }],
		['/a/b', '/', '/a/b', {}],
		['/docs/a//b', '/docs', '/a/[...rest]', { rest: 'b' }],
		['/docs//a/b', '/docs', '/a/b', {}],
	])('%s (base %s) → %s %j', (path, base, route, params) => {
		const found = findRequestRoute(routes, decoded(path), base);
		expect(found?.route.route).toBe(route);
		expect(found?.params).toEqual(params);
	});
});

describe('stripBase', () => {
	it.each<[string, string, string | undefined]>([
		['/x', '/', '/x'],
		['/', '/', '/'],
		['/docs/x', '/docs', '/x'],
		['/docs/x/y/', '/docs', '/x/y/'],
		['/docs', '/docs', '/'],
		['/docs/', '/docs', '/'],
		['/docs/x', '/docs/', '/x'],
		['/docs', '/docs/', '/'],
		['/docsx', '/docs', undefined],
		['/x', '/docs', undefined],
		['/', '/docs', undefined],
		['/a/b/c', '/a/b', '/c'],
	])('%s with base %s → %s', (path, base, expected) => {
		expect(stripBase(path, base)).toBe(expected);
	});
});

describe('redirectDestination', () => {
	it.each<[string, Record<string, string | undefined>, string]>([
		['/new', {}, '/new'],
		['/posts/[slug]', { slug: 'hello' }, '/posts/hello'],
		['/[a]/x/[b]', { a: '1', b: '2' }, '/1/x/2'],
		['/d/[...rest]', { rest: 'a/b/c' }, '/d/a/b/c'],
		['/v/[major].[minor]', { major: '1', minor: '2' }, '/v/1.2'],
		['/posts/[slug]', { slug: 'café' }, '/posts/café'],
		['/same/[id]/[id]', { id: '7' }, '/same/7/7'],
	])('%s with %j → %s', (destination, params, expected) => {
		expect(redirectDestination(destination, params)).toBe(expected);
	});
});
