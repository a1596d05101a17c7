// Properties of request-path handling (sw/core/router.ts over tables computed by
// build/routes.mjs) for any path string, against tests/conformance/spec.md §1
// "URL → pathname", "Trailing slash" and "Priority".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getParts, getPattern, redirectRoutes, routeComparator } from '../../../build/routes.mjs';
import { createHandler } from '../../../sw/core/handler.ts';
import type { ManifestRoute } from '../../../sw/core/pipeline.ts';
import { nearMissCheck } from '../../../sw/core/near-miss.ts';
import { decodePathname, findRoute, matchRoute, trailingSlashRedirect, type RouteEntry } from '../../../sw/core/router.ts';
import { runs } from './runs.ts';

type Slash = 'always' | 'never' | 'ignore';
type Part = { content: string; dynamic: boolean; spread: boolean };
type Entry = RouteEntry & { segments: Part[][] };

/** A route entry for a routePattern, computed as the build computes it (build/routes.mjs#makeRoute). */
function entry(route: string, trailingSlash: Slash = 'ignore'): Entry {
	const segments: Part[][] = route
		.split('/')
		.filter(Boolean)
		.map((s) => getParts(s, route));
	const prefix: string[] = [];
	for (const s of segments) {
		if (s.length !== 1 || s[0].dynamic) break;
		prefix.push(s[0].content.normalize());
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
		prerender: false,
		segments,
	};
}

/** Entries in Astro's priority order, sorted as the build sorts them. */
const sorted = <T extends RouteEntry>(routes: T[]): T[] => routes.slice().sort((a, b) => routeComparator(a as never, b as never));

const ROUTES = [
	'/',
	'/posts',
	'/posts/new',
	'/posts/[id]',
	'/posts/[...rest]',
	'/docs/[lang]-[version]',
	'/docs/[slug]',
	'/files/[...path].json',
	'/catch/[...all]',
	'/v[major].[minor].json',
	'/[org]/[repo]/issues/[n]',
	'/café/[x]',
];
const TABLES = Object.fromEntries((['always', 'never', 'ignore'] as const).map((slash) => [slash, sorted(ROUTES.map((r) => entry(r, slash)))])) as Record<
	Slash,
	Entry[]
>;

/** Pieces a request path is made of: separators, dots, every kind of percent sequence, text. */
const piece = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom('/', '//', '.', '..', '/./', '/../', 'posts', 'docs', 'files', 'catch', 'new', 'index.html', '.html', '.json', '-') },
	{
		weight: 4,
		arbitrary: fc.constantFrom(
			'%',
			'%2',
			'%2F',
			'%2f',
			'%25',
			'%2525',
			'%252F',
			'%20',
			'%3F',
			'%23',
			'%00',
			'%C3%A9',
			'%E0%A4%A',
			'%ED%A0%80',
			'%FF',
			'%C3',
			'%%',
		),
	},
	{ weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`) },
	{ weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
	// Lone surrogates: a path string need not be well-formed UTF-16.
	{ weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 2 }) },
);
const anyPath = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(''));
/** A path of one piece repeated many times (up to ~100k characters). */
const longPath = fc.tuple(piece, fc.integer({ min: 1_000, max: 20_000 }), anyPath).map(([p, n, tail]) => `/${p.repeat(n)}${tail}`);
const slashMode = fc.constantFrom<Slash>('always', 'never', 'ignore');

/** Every UTF-8 byte of `s` percent-encoded, then the `%` of that encoded `levels - 1` more times (`a` → `%61` → `%2561` …). */
function encodeLevels(s: string, levels: number): string {
	let out = [...new TextEncoder().encode(s)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
	for (let i = 1; i < levels; i++) out = out.replace(/%/g, '%25');
	return out;
}

/**
 * A path as a request carries it: encodeURI, plus `?` and `#`, which would otherwise end
 * the path (reserved characters such as `;` stay as they are: decodeURI would never
 * decode them back, in Astro either).
 */
const encodePath = (path: string) => encodeURI(path).replace(/\?/g, '%3F').replace(/#/g, '%23');

/** Every step a raw pathname goes through before a route answers (handler.ts), none of which may throw. */
function route(raw: string, slash: Slash, base: string) {
	const redirect = trailingSlashRedirect(raw, slash);
	const decoded = decodePathname(raw);
	const found = decoded.ok ? findRoute(TABLES[slash], decoded.pathname, base) : undefined;
	return { redirect, decoded, found };
}

describe('any path string', () => {
	it('decoding, the trailing-slash rule and matching never throw', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					anyPath,
					anyPath.map((p) => `/${p}`),
				),
				slashMode,
				fc.constantFrom('/', '/docs', '/posts/'),
				(raw, slash, base) => {
					const { decoded, found } = route(raw, slash, base);
					if (!decoded.ok) {
						expect(decoded.status).toBe(400);
						return;
					}
					if (found) {
						expect(TABLES[slash]).toContain(found.route);
						expect(Object.keys(found.params)).toEqual(found.route.params);
					}
				},
			),
			runs(400),
		);
	});

	it('a very long path is answered without throwing', () => {
		fc.assert(
			fc.property(longPath, slashMode, (raw, slash) => {
				route(raw, slash, '/');
			}),
			runs(40),
		);
	});

	it('a decoded path has no run of slashes and does not decode further', () => {
		fc.assert(
			fc.property(anyPath, (raw) => {
				const decoded = decodePathname(raw);
				if (!decoded.ok) return;
				expect(decoded.pathname).not.toContain('//');
				let again: string | undefined;
				try {
					again = decodeURI(decoded.pathname);
				} catch {
					// Malformed from here on: Astro keeps the last value that decoded (routing/param-malformed-percent).
				}
				if (again !== undefined) expect(again).toBe(decoded.pathname);
			}),
			runs(400),
		);
	});

	it('only a path holding %25 can be refused (the 400 is for more than ten levels of encoding)', () => {
		fc.assert(
			fc.property(anyPath, (raw) => {
				if (!raw.toLowerCase().includes('%25')) expect(decodePathname(raw).ok).toBe(true);
			}),
			runs(300),
		);
	});

	it('a path without % decodes to itself, slashes collapsed', () => {
		const unencoded = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join('').replace(/%/g, ''));
		fc.assert(
			fc.property(unencoded, (raw) => {
				expect(decodePathname(raw)).toEqual({ ok: true, pathname: raw.replace(/\/{2,}/g, '/'), uncollapsed: raw });
			}),
			runs(200),
		);
	});

	it('up to ten levels of encoding decode to the text, more are a 400', () => {
		const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).filter((s) => !s.includes('/') && !s.includes('%'));
		fc.assert(
			fc.property(text, fc.integer({ min: 1, max: 14 }), (s, levels) => {
				const decoded = decodePathname(`/x/${encodeLevels(s, levels)}`);
				// decodeURI leaves reserved characters encoded on its last step.
				if (levels <= 10) expect(decoded).toMatchObject({ ok: true, pathname: `/x/${decodeURI(encodeLevels(s, 1))}` });
				else expect(decoded).toEqual({ ok: false, status: 400 });
			}),
			runs(200),
		);
	});

	it('through the handler, any path gets a response (never a throw)', async () => {
		const handler = createHandler({
			routes: sorted(
				ROUTES.map((r) => ({ ...entry(r), load: async () => ({ GET: (ctx: { params: unknown }) => Response.json(ctx.params) }) })),
			) as ManifestRoute[],
			config: { base: '/', trailingSlash: 'ignore', output: 'server', checkOrigin: true, buildFormat: 'directory', session: false },
			logger: { error() {}, warn() {}, info() {}, debug() {} },
		});
		await fc.assert(
			fc.asyncProperty(anyPath, async (raw) => {
				const response = await handler.handle(new Request(`http://localhost/${raw}`));
				expect([200, 301, 400, 404]).toContain(response.status);
			}),
			runs(150),
		);
	});
});

describe('params', () => {
	// decodeURI never decodes these (nor does Astro), so they stay percent-encoded in a param.
	const RESERVED = new Set([...';,/?:@&=+$#']);
	const value = fc
		.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }))
		.filter((x) => !x.includes('/') && !x.includes('%') && x !== 'new');

	it('encodeURIComponent(x) in a [param] segment gives x back (reserved characters stay encoded, as in Astro)', () => {
		fc.assert(
			fc.property(value, slashMode, (x, slash) => {
				const decoded = decodePathname(`/posts/${encodeURIComponent(x)}`);
				expect(decoded.ok).toBe(true);
				const found = decoded.ok ? findRoute(TABLES[slash], decoded.pathname, '/') : undefined;
				if (slash === 'always') {
					// The pattern wants the trailing slash the redirect would have added.
					expect(found).toBeUndefined();
					return;
				}
				expect(found?.route.route).toBe('/posts/[id]');
				const id = found!.params.id!;
				expect(decodeURIComponent(id)).toBe(x);
				if (![...x].some((c) => RESERVED.has(c))) expect(id).toBe(x);
			}),
			runs(400),
		);
	});

	it('a value holding %XX is decoded again, as Astro decodes until stable (spec: %2561 → a)', () => {
		expect(findRoute(TABLES.ignore, (decodePathname(`/posts/${encodeURIComponent('%61b')}`) as { pathname: string }).pathname, '/')?.params).toEqual({
			id: 'ab',
		});
	});

	it('each param of a multi-param segment gives its value back', () => {
		const part = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }).filter((x) => /^[\w.~ !*'()]+$/.test(x) && !x.includes('-'));
		fc.assert(
			fc.property(part, part, (lang, version) => {
				const decoded = decodePathname(`/docs/${encodeURIComponent(lang)}-${encodeURIComponent(version)}`);
				const found = decoded.ok ? findRoute(TABLES.ignore, decoded.pathname, '/') : undefined;
				expect(found?.route.route).toBe('/docs/[lang]-[version]');
				expect(found?.params).toEqual({ lang, version });
			}),
			runs(200),
		);
	});
});

describe('priority', () => {
	/** Route patterns of a few segments, the kinds the comparator ranks. */
	const SEGMENTS = ['a', 'b', 'api', 'posts', 'new', 'x.json', 'v1', '[p]', '[q]', '[...r]', '[p]-[q]', 'v[p].[q].json', '[...r].json', 'pre-[p]'];
	const routePattern = fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 4 }).map((segments) => {
		// Param names made unique per route, as the regex groups are positional.
		let n = 0;
		return `/${segments.map((s) => s.replace(/\[(\.\.\.)?(\w)\]/g, (_, spread: string | undefined, name: string) => `[${spread ?? ''}${name}${n++}]`)).join('/')}`;
	});
	const table = fc.uniqueArray(routePattern, { minLength: 1, maxLength: 12, selector: (r) => r.replace(/\d/g, '') });

	/** Whether Astro's comparator is a strict order on these routes (no ties, no a < b < c < a). */
	function consistent(entries: Entry[]): boolean {
		const cmp = (a: Entry, b: Entry) => Math.sign(routeComparator(a as never, b as never));
		for (const a of entries) {
			for (const b of entries) {
				if (a !== b && (cmp(a, b) === 0 || cmp(a, b) !== -cmp(b, a))) return false;
				if (cmp(a, b) >= 0) continue;
				for (const c of entries) if (cmp(b, c) < 0 && cmp(a, c) >= 0) return false;
			}
		}
		return true;
	}
	/** A path some route of `routes` may match: a route instantiated, or random segments. */
	const pathFor = (routes: string[]) =>
		fc.oneof(
			fc
				.tuple(fc.constantFrom(...routes), fc.array(fc.constantFrom('a', 'x', 'new', 'v1.2.json', 'x.json', 'b-c', 'pre-7'), { minLength: 6, maxLength: 6 }))
				.map(([r, values]) => {
					let i = 0;
					return r.replace(/\[(?:\.\.\.)?\w+\]/g, () => values[i++ % values.length]) || '/';
				}),
			fc.array(fc.constantFrom(...SEGMENTS.filter((s) => !s.includes('[')), '7', 'a-b', 'x.y'), { maxLength: 5 }).map((s) => `/${s.join('/')}`),
		);

	it('the same table and path always give the same route', () => {
		fc.assert(
			fc.property(
				table.chain((routes) => fc.tuple(fc.constant(routes), fc.array(pathFor(routes), { minLength: 1, maxLength: 8 }))),
				([routes, paths]) => {
					const entries = sorted(routes.map((r) => entry(r)));
					const first = paths.map((p) => matchRoute(entries, p)?.route.route);
					// Again, in reverse order: compiled and cached patterns keep no state between paths.
					const second = paths
						.slice()
						.reverse()
						.map((p) => matchRoute(entries, p)?.route.route)
						.reverse();
					expect(second).toEqual(first);
				},
			),
			runs(200),
		);
	});

	it('the order the files are found in does not change which route wins (where the comparator is an order)', () => {
		fc.assert(
			fc.property(
				table.chain((routes) => fc.tuple(fc.constant(routes), fc.shuffledSubarray(routes, { minLength: routes.length }), pathFor(routes))),
				([routes, shuffled, path]) => {
					const a = sorted(routes.map((r) => entry(r)));
					fc.pre(consistent(a));
					const b = sorted(shuffled.map((r) => entry(r)));
					expect(b.map((r) => r.route)).toEqual(a.map((r) => r.route));
					expect(matchRoute(b, path)?.route.route).toBe(matchRoute(a, path)?.route.route);
				},
			),
			runs(200),
		);
	});

	// Astro's own comparator (core/routing/priority.ts, which build/routes.mjs copies) has
	// cycles: `/api` before `/api/[...r].json` (the one-longer rest rule), that before
	// `/api/[x]/[y]` (a mixed segment before an all-param one), and that before `/api` (more
	// segments first). Sorting such a table gives an order that depends on the order the
	// files were found in, so `/api/a/b.json` is answered by either route, in Astro too.
	it('documented: a cycle in the comparator lets the input order pick the winner, as in Astro', () => {
		const routes = ['/api', '/api/[...r].json', '/api/[x]/[y]'];
		const winners = new Set(
			[
				[0, 1, 2],
				[1, 0, 2],
			].map((order) => matchRoute(sorted(order.map((i) => entry(routes[i]))), '/api/a/b.json')?.route.route),
		);
		expect(winners).toEqual(new Set(['/api/[...r].json', '/api/[x]/[y]']));
	});

	it('the static-prefix pre-filter never changes the answer', () => {
		fc.assert(
			fc.property(
				table.chain((routes) => fc.tuple(fc.constant(routes), pathFor(routes))),
				([routes, path]) => {
					const entries = sorted(routes.map((r) => entry(r)));
					const unfiltered = entries.map((e) => ({ ...e, prefix: '', regex: undefined }));
					expect(matchRoute(entries, path)?.route.route).toBe(matchRoute(unfiltered, path)?.route.route);
				},
			),
			runs(200),
		);
	});

	it("a static route is reached by its own path, encoded as encodeURI does (`?`, `#` too), through the build's record", () => {
		// Text a file name may hold: not `/`, not brackets (a param), in NFC (patterns are
		// normalized as in Astro, so an NFD name is reached only by its NFC spelling), and no
		// `%XX` (decoded again on the way in, as Astro does). `?` and `#` are left to the
		// pinned case below.
		const segment = fc
			.string({
				unit: fc.oneof(fc.constantFrom('%', '.', ' ', '&', '+', ':', '@', ';', '='), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
				minLength: 1,
				maxLength: 6,
			})
			.filter((s) => !/[/[\]?#]/.test(s) && s.normalize() === s && !/%[0-9a-f]{2}/i.test(s) && s !== '.' && s !== '..');
		fc.assert(
			fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), (segments) => {
				const [record] = redirectRoutes({ [`/${segments.join('/')}`]: '/elsewhere' }, 'ignore');
				const decoded = decodePathname(encodePath(`/${segments.join('/')}`));
				expect(decoded.ok).toBe(true);
				expect(matchRoute([record as RouteEntry], (decoded as { pathname: string }).pathname)?.route).toBe(record);
			}),
			runs(300),
		);
	});

	// Found by the property above: the static prefix kept `?` and `#` raw while the pattern
	// spells them `%3F` and `%23` (as Astro's getPattern, and the decoded path), so the
	// pre-filter turned the route's own path away (`src/pages/what?.ts` was a 404 at `/what%3F`).
	it.each(['/what?', '/a/b#c'])('the static route %s is reached by its own path', (from) => {
		const [record] = redirectRoutes({ [from]: '/elsewhere' }, 'ignore');
		expect(matchRoute([record as RouteEntry], (decodePathname(encodePath(from)) as { pathname: string }).pathname)?.route).toBe(record);
	});
});

describe('routes with several params in one segment', () => {
	const shapes = ['/[a]-[b]', '/x/[a]-[b]-[c].json', '/v[x].[y]', '/[a]-[b]/[c]', '/d/[p]_[q]_[r]', '/[a].[b]-[c]'];
	const path = fc.array(fc.constantFrom('-', '.', '_', 'a', 'json', '/', 'v', 'x', 'd'), { maxLength: 24 }).map((parts) => `/${parts.join('')}`);

	it('the linear test before the pattern fails only where the pattern cannot match', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...shapes),
				fc.constantFrom<Slash>('always', 'never', 'ignore'),
				fc.array(path, { minLength: 1, maxLength: 20 }),
				(route, slash, paths) => {
					const e = entry(route, slash);
					const check = nearMissCheck(e.route, e.pattern);
					expect(check).not.toBeNull();
					const regex = new RegExp(e.pattern);
					for (const p of paths) if (regex.test(p)) expect(check!(p), `${route} (${slash}) matches ${p}`).toBe(true);
					// And matchRoute, which runs the test first, finds what the pattern alone finds.
					for (const p of paths) expect(matchRoute([entry(route, slash)], p)?.route.route).toBe(regex.test(p) ? route : undefined);
				},
			),
			runs(300),
		);
	});

	it('a long near-miss is refused without running the pattern (Astro 7: 3 params, 16,000 characters would take hours)', () => {
		const e = entry('/x/[a]-[b]-[c].json');
		e.check = nearMissCheck(e.route, e.pattern)!;
		const near = `/x/${'-'.repeat(16_000)}.jso`;
		expect(matchRoute([e], near)).toBeUndefined();
		expect(e.regex).toBeUndefined();
		expect(matchRoute([e], '/x/a-b-c.json')?.params).toEqual({ a: 'a', b: 'b', c: 'c' });
	});

	it('leaves routes without several params in a segment, and rest params, to the pattern alone', () => {
		for (const route of ['/posts/[id]', '/files/[...path].json', '/[a]-[...b]', '/a/b']) expect(nearMissCheck(route, entry(route).pattern)).toBeNull();
	});
});
