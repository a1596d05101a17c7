// Properties of the cookie layers for any input: the browser's jar
// (sw/browser/cookie-jar.ts, RFC 6265bis), what the page may see of it
// (sw/browser/state.ts), and Astro's context.cookies (sw/core/cookies.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CookieJar, cookieHeader, parseSetCookie, type RequestSite } from '../../../sw/browser/cookie-jar.ts';
import { createClientState, type PageCookies } from '../../../sw/browser/state.ts';
import { AstroCookies, parseCookieHeader } from '../../../sw/core/cookies.ts';
import { createMemoryKv } from '../../../sw/core/kv.ts';
import { runs } from './runs.ts';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const SAME: RequestSite = { sameSite: true, navigation: false, method: 'GET' };
const HOSTS = ['example.com', 'a.example.com', 'b.a.example.com', 'example.org', 'other.com', 'com', 'localhost', '127.0.0.1', '0.0.1'];

// RFC 6265 token characters (a cookie name browsers and cookie@2 both keep as is).
const tokenChar = fc.constantFrom(..."abcxyzABZ0189!#$&'*+-.^_`|~");
const cookieName = fc.string({ unit: tokenChar, minLength: 1, maxLength: 6 });
/** Path segments of URL-safe characters (no `.`/`..`, which a URL resolves away). */
const segment = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '_', '~', '%41'), minLength: 1, maxLength: 3 }).filter((s) => s !== '.' && s !== '..');
const segments = fc.array(segment, { maxLength: 4 });
/** A path built from segments, with or without a trailing slash. */
const pathOf = (segs: string[], trailing: boolean) => `/${segs.join('/')}${trailing && segs.length ? '/' : ''}`;

/** Attributes a Set-Cookie line may carry, well-formed or not. */
const attribute = fc.oneof(
	fc.tuple(segments, fc.boolean()).map(([s, t]) => `Path=${pathOf(s, t)}`),
	fc.constantFrom('Path=', 'Path=relative', 'path=/A', 'Path = /a '),
	fc.constantFrom(...HOSTS, '.example.com', 'EXAMPLE.com', 'example.com.', 'evil.com', 'xample.com', 'le.com', '').map((d) => `Domain=${d}`),
	fc.constantFrom('HttpOnly', 'httponly', 'Secure', 'SameSite=Lax', 'SameSite=Strict', 'SameSite=None', 'SameSite=bogus', 'Partitioned'),
	fc.constantFrom(
		'Max-Age=0',
		'Max-Age=-1',
		'Max-Age=60',
		'Max-Age=x',
		'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
		'Expires=Wed, 01 Jan 2031 00:00:00 GMT',
		'Expires=garbage',
	),
	fc.string({ maxLength: 12 }),
);
const setCookieLine = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.tuple(cookieName, fc.string({ maxLength: 8 }), fc.array(attribute, { maxLength: 5 })).map(([n, v, a]) => [`${n}=${v}`, ...a].join('; ')),
	},
	{ weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);
const setUrl = fc
	.tuple(fc.constantFrom(...HOSTS), fc.constantFrom('https', 'http'), segments, fc.boolean())
	.map(([h, p, s, t]) => new URL(`${p}://${h}${pathOf(s, t)}`));

/** Whether `host` is `domain` or a name under it (an IP address is only ever itself). */
const within = (host: string, domain: string) => host === domain || (host.endsWith(`.${domain}`) && !/^[\d.]+$/.test(host));

describe('the jar, for any Set-Cookie line', () => {
	it('parsing and applying never throw', () => {
		fc.assert(
			fc.property(fc.array(setCookieLine, { maxLength: 6 }), setUrl, (lines, url) => {
				for (const line of lines) parseSetCookie(line, url, NOW);
				const jar = new CookieJar();
				jar.apply(lines, url, NOW);
				jar.matching(url, SAME, NOW);
			}),
			runs(400),
		);
	});

	it('a Domain that is not the host or a parent of it stores nothing; a stored cookie goes only to hosts within its domain', () => {
		fc.assert(
			fc.property(fc.array(setCookieLine, { maxLength: 6 }), setUrl, fc.constantFrom(...HOSTS), (lines, url, other) => {
				const jar = new CookieJar();
				jar.apply(lines, url, NOW);
				const host = url.hostname;
				for (const c of jar.all()) {
					expect(within(host, c.domain)).toBe(true);
					if (c.hostOnly) expect(c.domain).toBe(host);
				}
				const to = new URL(`https://${other}${url.pathname}`);
				for (const c of jar.matching(to, SAME, NOW)) {
					if (c.hostOnly) expect(to.hostname).toBe(host);
					else expect(within(to.hostname, c.domain)).toBe(true);
				}
			}),
			runs(400),
		);
	});

	it('a Domain attribute naming another site is refused', () => {
		fc.assert(
			fc.property(
				cookieName,
				fc.constantFrom(...HOSTS),
				fc.constantFrom(...HOSTS, 'evil.com', 'xample.com', 'le.com', 'a.b.a.example.com'),
				(name, host, domain) => {
					fc.pre(!within(host, domain));
					expect(parseSetCookie(`${name}=v; Domain=${domain}`, new URL(`https://${host}/`), NOW)).toBeUndefined();
					expect(parseSetCookie(`${name}=v; Domain=.${domain}`, new URL(`https://${host}/`), NOW)).toBeUndefined();
				},
			),
			runs(200),
		);
	});

	// The jar has no public suffix list, so `Domain=com` from example.com is kept where a
	// browser refuses it. It still goes only to hosts under `com`, and a worker's jar only
	// ever sees its own origin's requests: it reaches no host a host-only cookie would not.
	it('documented: a Domain naming a public suffix is kept (no public suffix list)', () => {
		expect(parseSetCookie('a=b; Domain=com', new URL('https://example.com/'), NOW)).toMatchObject({ domain: 'com', hostOnly: false });
	});

	it('a cookie goes exactly to the paths at or under its Path, by whole segments', () => {
		fc.assert(
			fc.property(
				cookieName,
				fc.option(fc.tuple(segments, fc.boolean()), { nil: undefined }),
				fc.tuple(segments, fc.boolean()),
				fc.tuple(segments, fc.boolean()),
				(name, cookiePath, [setSegs, setTrailing], [reqSegs, reqTrailing]) => {
					const line = cookiePath ? `${name}=v; Path=${pathOf(...cookiePath)}` : `${name}=v`;
					const jar = new CookieJar();
					jar.apply([line], new URL(`https://example.com${pathOf(setSegs, setTrailing)}`), NOW);
					// RFC 6265 §5.1.4, restated on segments: without Path, the folder of the setting URL.
					const [pathSegs, pathTrailing] = cookiePath ?? [setTrailing ? setSegs : setSegs.slice(0, -1), false];
					const under =
						reqSegs.length >= pathSegs.length &&
						pathSegs.every((s, i) => reqSegs[i] === s) &&
						(!pathTrailing || !pathSegs.length || reqSegs.length > pathSegs.length || reqTrailing);
					const sent = jar.matching(new URL(`https://example.com${pathOf(reqSegs, reqTrailing)}`), SAME, NOW).length > 0;
					expect(sent).toBe(under);
				},
			),
			runs(400),
		);
	});
});

/** The page's cookies in memory, recording every value the page was given. */
class RecordingPage implements PageCookies {
	readonly observedPath = '/';
	readonly cookies = new Map<string, { name: string; value: string; path: string }>();
	readonly given: string[] = [];
	async getAll() {
		return [...this.cookies.values()];
	}
	async set(options: { name: string; value: string; path?: string }) {
		this.given.push(options.value);
		this.cookies.set(`${options.name};${options.path ?? '/'}`, { name: options.name, value: options.value, path: options.path ?? '/' });
		return true;
	}
	async delete(options: { name: string; path?: string }) {
		this.cookies.delete(`${options.name};${options.path ?? '/'}`);
	}
}

describe('what the page sees', () => {
	// Each line's value is unique, so a value the page holds names the line it came from.
	const response = fc.array(
		fc.tuple(fc.constantFrom('a', 'b', 'sid'), fc.boolean(), fc.array(attribute, { maxLength: 3 }), fc.constantFrom('/', '/x', '/x/y')),
		{ minLength: 1, maxLength: 4 },
	);

	it('an HttpOnly cookie never reaches the page, whatever came before or after it', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(response, { minLength: 1, maxLength: 5 }), async (responses) => {
				const state = createClientState({ cookies: createMemoryKv(), meta: createMemoryKv(), now: () => NOW });
				const page = new RecordingPage();
				const httpOnly = new Set<string>();
				let n = 0;
				for (const lines of responses) {
					const exchange = await state.begin(new URL('https://example.com/x/y'), SAME, page);
					await exchange.finish(
						lines.map(([name, flag, attributes, path]) => {
							const value = `v${n++}`;
							const line = [`${name}=${value}`, `Path=${path}`, ...(flag ? ['HttpOnly'] : []), ...attributes].join('; ');
							// HttpOnly in any spelling, wherever a `;` put it (random attributes may hold one).
							if (line.split(';').some((a) => a.trim().toLowerCase() === 'httponly')) httpOnly.add(value);
							return line;
						}),
					);
				}
				expect(page.given.filter((v) => httpOnly.has(v))).toEqual([]);
				expect([...page.cookies.values()].filter((c) => httpOnly.has(c.value))).toEqual([]);
				expect((await state.pageCookies()).filter((c) => httpOnly.has(c.value))).toEqual([]);
			}),
			runs(200),
		);
	});
});

describe('context.cookies, for any Cookie header', () => {
	const header = fc.oneof(
		fc.string({ maxLength: 60 }),
		fc.string({ unit: 'binary', maxLength: 60 }),
		fc
			.array(fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom('=', '==', ''), fc.string({ maxLength: 8 }), fc.constantFrom(';', '; ', ';;', ' ;\t')), {
				maxLength: 6,
			})
			.map((parts) => parts.map((p) => p.join('')).join('')),
	);
	const anyName = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'));

	it('parsing, get() and has() never throw, and agree', () => {
		fc.assert(
			fc.property(header, anyName, (h, name) => {
				const cookies = new AstroCookies(h);
				const got = cookies.get(name);
				const has = cookies.has(name);
				// Astro reads an empty value as undefined, though has() is true.
				if (got !== undefined) expect(has).toBe(true);
				if (!has) expect(got).toBeUndefined();
				expect(Object.getPrototypeOf(parseCookieHeader(h))).toBeNull();
			}),
			runs(400),
		);
		expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
	});

	it('get() returns each plain value of the header (the first of a name wins)', () => {
		// cookie-octets without `%`, which get() would decode.
		const plain = fc.string({ unit: fc.constantFrom(..."abcXYZ019!#$&'()*+-./:<=>?@[]^_`{|}~"), minLength: 1, maxLength: 8 });
		fc.assert(
			fc.property(fc.array(fc.tuple(cookieName, plain), { minLength: 1, maxLength: 6 }), fc.constantFrom('; ', ';', ' ; '), (pairs, separator) => {
				const cookies = new AstroCookies(pairs.map(([n, v]) => `${n}=${v}`).join(separator));
				for (const [name] of pairs) expect(cookies.get(name)?.value).toBe(pairs.find(([n]) => n === name)![1]);
			}),
			runs(300),
		);
	});

	it('a value set() by one request is what get() reads in the next, through the browser', () => {
		fc.assert(
			fc.property(
				cookieName,
				fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })),
				(name, value) => {
					const outgoing = new AstroCookies(null);
					outgoing.set(name, value, { path: '/' });
					const jar = new CookieJar();
					const url = new URL('https://example.com/api/x');
					jar.apply(outgoing.consume(), url, NOW);
					const incoming = new AstroCookies(cookieHeader(jar.matching(url, SAME, NOW)));
					expect(incoming.get(name)?.value).toBe(value);
				},
			),
			runs(300),
		);
	});
});
