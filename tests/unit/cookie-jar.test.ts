// RFC 6265bis behaviour of the worker's cookie jar (sw/browser/cookie-jar.ts): parsing
// Set-Cookie, path and domain rules, and what a request carries.
import { describe, expect, it } from 'vitest';
import {
	CookieJar,
	cookieHeader,
	cookieKey,
	defaultPath,
	domainMatches,
	isExpired,
	isSecureUrl,
	parseSetCookie,
	pathMatches,
	type JarCookie,
	type RequestSite,
} from '../../sw/browser/cookie-jar.ts';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const FUTURE = 'Wed, 01 Jan 2031 00:00:00 GMT';
const FUTURE_MS = Date.UTC(2031, 0, 1);
const PAST = 'Thu, 01 Jan 1970 00:00:00 GMT';
const SET_URL = 'https://example.com/api/cookies/set';

const SAME: RequestSite = { sameSite: true, navigation: false, method: 'GET' };
const SAME_POST: RequestSite = { sameSite: true, navigation: false, method: 'POST' };
const CROSS_NAV_GET: RequestSite = { sameSite: false, navigation: true, method: 'GET' };
const CROSS_NAV_HEAD: RequestSite = { sameSite: false, navigation: true, method: 'HEAD' };
const CROSS_NAV_POST: RequestSite = { sameSite: false, navigation: true, method: 'POST' };
const CROSS_SUB_GET: RequestSite = { sameSite: false, navigation: false, method: 'GET' };
const CROSS_SUB_POST: RequestSite = { sameSite: false, navigation: false, method: 'POST' };

const parse = (line: string, url = SET_URL, now = NOW) => parseSetCookie(line, new URL(url), now);

/** A jar filled from Set-Cookie lines received for `url`, one `apply()` per line, each a millisecond later. */
function jarOf(lines: string[], url = SET_URL, start = NOW): CookieJar {
	const jar = new CookieJar();
	lines.forEach((line, i) => jar.apply([line], new URL(url), start + i));
	return jar;
}

const names = (cookies: readonly JarCookie[]) => cookies.map((c) => c.name);

describe('parseSetCookie: name and value', () => {
	it.each<[string, { name: string; value: string } | undefined]>([
		['a=b', { name: 'a', value: 'b' }],
		['  a  =  b  ', { name: 'a', value: 'b' }],
		['\ta\t=\tb\t; Path=/', { name: 'a', value: 'b' }],
		['a=', { name: 'a', value: '' }],
		['a=b=c', { name: 'a', value: 'b=c' }],
		['a="quoted"', { name: 'a', value: '"quoted"' }],
		['a = hello world ; HttpOnly', { name: 'a', value: 'hello world' }],
		['noequals', undefined],
		['noequals; Path=/', undefined],
		['', undefined],
		['=value', undefined],
		['   =value', undefined],
		['=', undefined],
	])('%j', (line, expected) => {
		const cookie = parse(line);
		if (expected === undefined) expect(cookie).toBeUndefined();
		else expect(cookie).toMatchObject(expected);
	});

	it('gives a plain cookie its defaults: host-only, default path, session, not secure, SameSite unspecified, created now', () => {
		expect(parse('a=b')).toEqual({
			name: 'a',
			value: 'b',
			domain: 'example.com',
			hostOnly: true,
			path: '/api/cookies',
			expires: null,
			secure: false,
			httpOnly: false,
			sameSite: 'unspecified',
			created: NOW,
		} satisfies JarCookie);
	});

	it('lower-cases the host it stores', () => {
		expect(parse('a=b', 'https://WWW.Example.COM/x')).toMatchObject({ domain: 'www.example.com', hostOnly: true });
	});
});

describe('parseSetCookie: attributes', () => {
	it.each<[string, Partial<JarCookie>]>([
		['a=b; secure; httponly', { secure: true, httpOnly: true }],
		['a=b; SECURE; HTTPONLY', { secure: true, httpOnly: true }],
		['a=b; Secure=whatever; HttpOnly=yes', { secure: true, httpOnly: true }],
		['a=b;Secure;HttpOnly', { secure: true, httpOnly: true }],
		['a=b; PATH=/p', { path: '/p' }],
		['a=b; pAtH = /p ', { path: '/p' }],
		['a=b; MAX-AGE=60', { expires: NOW + 60_000 }],
		['a=b; max-age=60', { expires: NOW + 60_000 }],
		['a=b; EXPIRES=' + FUTURE, { expires: FUTURE_MS }],
		['a=b; DOMAIN=example.com', { domain: 'example.com', hostOnly: false }],
		['a=b; SAMESITE=STRICT', { sameSite: 'strict' }],
		['a=b; Unknown=1; Priority=High; Partitioned', { path: '/api/cookies', secure: false, httpOnly: false }],
	])('%j (attribute names are case-insensitive)', (line, expected) => {
		expect(parse(line)).toMatchObject(expected);
	});

	it.each<[string, number | null]>([
		['a=b; Max-Age=3600', NOW + 3_600_000],
		[' a=b; Max-Age= 3600 ', NOW + 3_600_000],
		['a=b; Expires=' + FUTURE, FUTURE_MS],
		['a=b; Expires=' + FUTURE + '; Max-Age=10', NOW + 10_000],
		['a=b; Max-Age=10; Expires=' + FUTURE, NOW + 10_000],
		['a=b; Max-Age=10; Expires=' + PAST, NOW + 10_000],
		['a=b; Expires=' + PAST + '; Max-Age=10', NOW + 10_000],
		['a=b; Max-Age=abc; Expires=' + FUTURE, FUTURE_MS],
		['a=b; Max-Age=1.5', null],
		['a=b; Max-Age=+5', null],
		['a=b; Max-Age=', null],
		['a=b; Max-Age', null],
		['a=b; Expires=not a date', null],
		['a=b; Expires=', null],
		['a=b; Expires', null],
		['a=b', null],
	])('%j expires at %s', (line, expires) => {
		expect(parse(line)?.expires).toBe(expires);
	});

	it.each([
		'a=b; Max-Age=0',
		'a=b; Max-Age=-1',
		'a=b; Max-Age=-0',
		'a=b; Max-Age=0; Expires=' + FUTURE,
		'a=; Expires=' + PAST,
		'a=; Expires=Sun, 15 Jun 2025 11:59:59 GMT',
		'a=; Expires=Sun, 15 Jun 2025 12:00:00 GMT',
	])('%j is a deletion (parsed, and expired now)', (line) => {
		const cookie = parse(line);
		expect(cookie).toBeDefined();
		expect(isExpired(cookie!, NOW)).toBe(true);
	});

	it.each(['a=b', 'a=b; Max-Age=1', 'a=b; Expires=Sun, 15 Jun 2025 12:00:01 GMT', 'a=b; Expires=garbage', 'a=b; Max-Age=x'])('%j is not a deletion', (line) => {
		const cookie = parse(line);
		expect(cookie).toBeDefined();
		expect(isExpired(cookie!, NOW)).toBe(false);
	});

	it.each<[string, 'strict' | 'lax' | 'none' | 'unspecified']>([
		['a=b; SameSite=Strict', 'strict'],
		['a=b; SameSite=strict', 'strict'],
		['a=b; SameSite=Lax', 'lax'],
		['a=b; samesite=LAX', 'lax'],
		['a=b; SameSite=None; Secure', 'none'],
		['a=b; SameSite=bogus', 'unspecified'],
		['a=b; SameSite=', 'unspecified'],
		['a=b; SameSite', 'unspecified'],
		['a=b', 'unspecified'],
		['a=b; SameSite=Strict; SameSite=Lax', 'lax'],
	])('%j → SameSite %s', (line, sameSite) => {
		expect(parse(line)?.sameSite).toBe(sameSite);
	});

	it.each(['a=b; SameSite=None', 'a=b; samesite=none; HttpOnly', 'a=b; SameSite=NONE; Path=/'])('%j (SameSite=None without Secure) is rejected', (line) => {
		expect(parse(line, 'http://example.com/')).toBeUndefined();
		expect(parse(line, 'https://example.com/')).toBeUndefined();
		expect(parse(line, 'http://localhost/')).toBeUndefined();
	});

	it('SameSite=None with Secure is kept (where Secure is allowed)', () => {
		expect(parse('a=b; SameSite=None; Secure', 'http://example.com/')).toBeUndefined();
		expect(parse('a=b; SameSite=None; Secure', 'https://example.com/')).toMatchObject({ sameSite: 'none', secure: true });
	});
});

describe('parseSetCookie: Domain', () => {
	it.each<[string, string, { domain: string; hostOnly: boolean } | undefined]>([
		['a=b', 'https://www.example.com/', { domain: 'www.example.com', hostOnly: true }],
		['a=b; Domain=www.example.com', 'https://www.example.com/', { domain: 'www.example.com', hostOnly: false }],
		['a=b; Domain=example.com', 'https://www.example.com/', { domain: 'example.com', hostOnly: false }],
		['a=b; Domain=.example.com', 'https://www.example.com/', { domain: 'example.com', hostOnly: false }],
		['a=b; Domain=EXAMPLE.com', 'https://www.example.com/', { domain: 'example.com', hostOnly: false }],
		['a=b; Domain=.Example.COM', 'https://a.b.example.com/', { domain: 'example.com', hostOnly: false }],
		['a=b; Domain=', 'https://www.example.com/', { domain: 'www.example.com', hostOnly: true }],
		['a=b; Domain=localhost', 'http://localhost:4321/', { domain: 'localhost', hostOnly: false }],
		['a=b; Domain=127.0.0.1', 'http://127.0.0.1/', { domain: '127.0.0.1', hostOnly: false }],
		['a=b; Domain=other.com', 'https://www.example.com/', undefined],
		['a=b; Domain=sub.www.example.com', 'https://www.example.com/', undefined],
		['a=b; Domain=ample.com', 'https://www.example.com/', undefined],
		['a=b; Domain=xample.com', 'https://example.com/', undefined],
		['a=b; Domain=0.0.1', 'http://127.0.0.1/', undefined],
		['a=b; Domain=example.com', 'http://localhost/', undefined],
	])('%j from %s', (line, url, expected) => {
		const cookie = parse(line, url);
		if (expected === undefined) expect(cookie).toBeUndefined();
		else expect(cookie).toMatchObject(expected);
	});
});

describe('parseSetCookie: Path', () => {
	it.each<[string, string, string]>([
		['a=b', 'https://example.com/api/cookies/set', '/api/cookies'],
		['a=b', 'https://example.com/x', '/'],
		['a=b', 'https://example.com/', '/'],
		['a=b', 'https://example.com/a/b/', '/a/b'],
		['a=b', 'https://example.com/a/b?c=/d/e', '/a'],
		['a=b; Path=/', 'https://example.com/api/cookies/set', '/'],
		['a=b; Path=/other', 'https://example.com/api/cookies/set', '/other'],
		['a=b; Path=/other/', 'https://example.com/api/cookies/set', '/other/'],
		['a=b; Path=other', 'https://example.com/api/cookies/set', '/api/cookies'],
		['a=b; Path=', 'https://example.com/api/cookies/set', '/api/cookies'],
		['a=b; Path', 'https://example.com/api/cookies/set', '/api/cookies'],
		['a=b; Path=x/y', 'https://example.com/x', '/'],
		['a=b; Path=/one; Path=/two', 'https://example.com/x', '/two'],
	])('%j from %s → path %s', (line, url, path) => {
		expect(parse(line, url)?.path).toBe(path);
	});
});

describe('parseSetCookie: Secure', () => {
	it.each<[string, boolean]>([
		['https://example.com/', true],
		['https://example.com:8443/', true],
		['http://localhost/', true],
		['http://localhost:4321/', true],
		['http://127.0.0.1:8080/', true],
		['http://[::1]:3000/', true],
		['http://example.com/', false],
		['http://192.168.1.10/', false],
		['http://localhost.example.com/', false],
	])('Secure from %s accepted: %s', (url, accepted) => {
		const cookie = parse('a=b; Secure', url);
		if (accepted) expect(cookie).toMatchObject({ secure: true });
		else expect(cookie).toBeUndefined();
		// Without Secure the same URL always takes the cookie.
		expect(parse('a=b', url)).toMatchObject({ secure: false });
	});

	it.each<[string, boolean]>([
		['https://example.com/', true],
		['http://localhost/', true],
		['http://127.0.0.1/', true],
		['http://[::1]/', true],
		['http://example.com/', false],
		['ws://example.com/', false],
	])('isSecureUrl(%s) is %s', (url, secure) => {
		expect(isSecureUrl(new URL(url))).toBe(secure);
	});
});

describe('RFC 6265 §5.1.4 paths', () => {
	it.each<[string, string]>([
		['', '/'],
		['x', '/'],
		['/', '/'],
		['/x', '/'],
		['/x/', '/x'],
		['/api/cookies/set', '/api/cookies'],
		['/api/cookies/', '/api/cookies'],
		['/a/b/c/d', '/a/b/c'],
		['//', '/'],
	])('defaultPath(%j) = %j', (requestPath, expected) => {
		expect(defaultPath(requestPath)).toBe(expected);
	});

	it.each<[string, string, boolean]>([
		// identical
		['/', '/', true],
		['/foo', '/foo', true],
		['/foo/', '/foo/', true],
		// cookie path is a prefix ending in '/'
		['/foo/bar', '/', true],
		['/foo/bar', '/foo/', true],
		['/foo/', '/', true],
		// cookie path is a prefix followed by '/' in the request path
		['/foo/bar', '/foo', true],
		['/foo/', '/foo', true],
		['/foo/bar/baz', '/foo/bar', true],
		// not path-matches
		['/foobar', '/foo', false],
		['/fo', '/foo', false],
		['/foo', '/foo/', false],
		['/', '/foo', false],
		['/bar/foo', '/foo', false],
		['/Foo', '/foo', false],
		['/api', '/api/cookies', false],
	])('pathMatches(%j, %j) is %s', (requestPath, cookiePath, expected) => {
		expect(pathMatches(requestPath, cookiePath)).toBe(expected);
	});

	it.each<[string, string, boolean]>([
		['example.com', 'example.com', true],
		['www.example.com', 'example.com', true],
		['a.b.example.com', 'example.com', true],
		['example.com', 'www.example.com', false],
		['badexample.com', 'example.com', false],
		['example.com.evil.net', 'example.com', false],
		['127.0.0.1', '127.0.0.1', true],
		['127.0.0.1', '0.0.1', false],
		['[::1]', '[::1]', true],
	])('domainMatches(%j, %j) is %s', (host, domain, expected) => {
		expect(domainMatches(host, domain)).toBe(expected);
	});
});

describe('browser bounds', () => {
	it('drops a line whose name and value pass 4096 bytes together, and ignores an attribute value over 1024 bytes', () => {
		expect(parse(`a=${'v'.repeat(4095)}`, SET_URL, NOW)).toMatchObject({ name: 'a' });
		expect(parse(`a=${'v'.repeat(4096)}`, SET_URL, NOW)).toBeUndefined();
		const longPath = parse(`a=1; Path=/${'p'.repeat(1024)}`, SET_URL, NOW)!;
		expect(longPath.path).toBe('/api/cookies');
	});

	it('keeps at most 180 cookies: past that the oldest go until 150 are left, deleted from the page too', () => {
		const jar = new CookieJar();
		const url = new URL(SET_URL);
		for (let i = 0; i < 180; i++) jar.apply([`c${i}=1; Path=/`], url, NOW + i);
		expect(jar.all()).toHaveLength(180);
		const changes = jar.apply(['newest=1; Path=/'], url, NOW + 1000);
		expect(jar.all()).toHaveLength(150);
		expect(changes.removed.map((c) => c.name)).toEqual(Array.from({ length: 31 }, (_, i) => `c${i}`));
		expect(changes.deleted.map((c) => c.name)).toEqual(changes.removed.map((c) => c.name));
		expect(jar.get({ name: 'newest', domain: 'example.com', path: '/' })).toBeDefined();
	});
});

describe('CookieJar: storing', () => {
	it('replacing a cookie keeps its creation time and takes the new value and attributes', () => {
		const jar = new CookieJar();
		const url = new URL(SET_URL);
		jar.apply(['a=1'], url, NOW);
		const changes = jar.apply(['a=2; HttpOnly; Max-Age=60'], url, NOW + 5000);
		expect(changes.stored).toHaveLength(1);
		expect(changes.removed).toEqual([]);
		expect(jar.all()).toEqual([expect.objectContaining({ name: 'a', value: '2', httpOnly: true, expires: NOW + 5000 + 60_000, created: NOW })]);
	});

	it('an identical re-set changes nothing: store() is false, apply() reports no change, creation time kept', () => {
		const jar = new CookieJar();
		const url = new URL(SET_URL);
		expect(jar.apply(['a=1; Path=/; Secure; SameSite=Strict'], url, NOW).stored).toHaveLength(1);
		expect(jar.apply(['a=1; Path=/; Secure; SameSite=Strict'], url, NOW + 1000)).toMatchObject({
			stored: [],
			removed: [],
			kept: [expect.objectContaining({ name: 'a' })],
		});
		const again = parse('a=1; Path=/; Secure; SameSite=Strict', SET_URL, NOW + 2000)!;
		expect(jar.store(again)).toBe(false);
		expect(jar.all()).toHaveLength(1);
		expect(jar.all()[0].created).toBe(NOW);
	});

	it.each([
		['a value', 'a=2; Path=/'],
		['an expiry', 'a=1; Path=/; Max-Age=100'],
		['Secure', 'a=1; Path=/; Secure'],
		['HttpOnly', 'a=1; Path=/; HttpOnly'],
		['SameSite', 'a=1; Path=/; SameSite=Lax'],
		['host-only to Domain', 'a=1; Path=/; Domain=example.com'],
	])('a re-set with a different %s is a change (store() is true)', (_what, line) => {
		const jar = jarOf(['a=1; Path=/']);
		expect(jar.store(parse(line, SET_URL, NOW + 10)!)).toBe(true);
		expect(jar.all()).toHaveLength(1);
		expect(jar.all()[0].created).toBe(NOW);
	});

	it('cookies differing in name, path or domain are kept apart', () => {
		const jar = jarOf(['a=1; Path=/', 'a=2; Path=/api', 'b=3; Path=/', 'a=4; Path=/; Domain=example.com'], 'https://www.example.com/x');
		expect(jar.all().map((c) => [cookieKey(c), c.value])).toEqual([
			['www.example.com;/;a', '1'],
			['www.example.com;/api;a', '2'],
			['www.example.com;/;b', '3'],
			['example.com;/;a', '4'],
		]);
	});

	it.each(['a=; Max-Age=0', 'a=gone; Max-Age=-1', 'a=; Expires=' + PAST, 'a=; Path=/api/cookies; Expires=' + PAST + '; Max-Age=0'])(
		'%j deletes the cookie',
		(line) => {
			const jar = jarOf(['a=1', 'b=2']);
			const changes = jar.apply([line], new URL(SET_URL), NOW + 100);
			expect(changes.stored).toEqual([]);
			expect(names(changes.removed)).toEqual(['a']);
			expect(names(jar.all())).toEqual(['b']);
		},
	);

	it('a deletion only removes the cookie with the same name, domain and path', () => {
		const jar = jarOf(['a=1; Path=/', 'a=2; Path=/api/cookies']);
		const changes = jar.apply(['a=; Max-Age=0; Path=/'], new URL(SET_URL), NOW + 100);
		expect(changes.removed.map((c) => c.value)).toEqual(['1']);
		expect(jar.all().map((c) => [c.path, c.value])).toEqual([['/api/cookies', '2']]);
	});

	it('a deletion of a cookie the jar lacks stores nothing and reports nothing', () => {
		const jar = jarOf(['b=2']);
		expect(jar.apply(['a=; Max-Age=0'], new URL(SET_URL), NOW)).toMatchObject({
			stored: [],
			removed: [],
			kept: [],
			deleted: [expect.objectContaining({ name: 'a' })],
		});
		expect(names(jar.all())).toEqual(['b']);
	});

	it('a cookie set and deleted by one response ends deleted: nothing to store, one removal', () => {
		const jar = jarOf(['a=1']);
		const changes = jar.apply(['a=2', 'a=; Max-Age=0', 'b=3', 'b=4'], new URL(SET_URL), NOW + 100);
		expect(names(changes.removed)).toEqual(['a']);
		expect(changes.stored.map((c) => `${c.name}=${c.value}`)).toEqual(['b=4']);
		expect(names(changes.deleted)).toEqual(['a']);
		expect(names(jar.all())).toEqual(['b']);
	});

	it('lines a browser ignores change nothing', () => {
		const jar = jarOf(['a=1']);
		const changes = jar.apply(['novalue', '=x', 'a=2; Domain=other.com', 'a=3; SameSite=None'], new URL(SET_URL), NOW + 1);
		expect(changes).toEqual({ stored: [], removed: [], kept: [], deleted: [] });
		expect(jar.all().map((c) => c.value)).toEqual(['1']);
	});

	it('apply() handles several lines in order and reports where each cookie ended up', () => {
		const jar = new CookieJar();
		const changes = jar.apply(['a=1', 'b=2', 'a=3', 'b=; Max-Age=0'], new URL(SET_URL), NOW);
		expect(changes.stored.map((c) => `${c.name}=${c.value}`)).toEqual(['a=3']);
		expect(names(changes.removed)).toEqual(['b']);
		expect(names(changes.deleted)).toEqual(['b']);
		expect(jar.all().map((c) => `${c.name}=${c.value}`)).toEqual(['a=3']);
	});

	it('constructs from stored cookies, and clear() empties it', () => {
		const cookies = [parse('a=1')!, parse('b=2; Path=/')!];
		const jar = new CookieJar(cookies);
		expect(names(jar.all())).toEqual(['a', 'b']);
		jar.clear();
		expect(jar.all()).toEqual([]);
		expect(jar.matching(new URL(SET_URL), SAME, NOW)).toEqual([]);
	});

	it('remove() returns the removed cookie, or undefined', () => {
		const jar = jarOf(['a=1; Path=/']);
		expect(jar.remove({ name: 'a', domain: 'example.com', path: '/' })).toMatchObject({ name: 'a', value: '1' });
		expect(jar.remove({ name: 'a', domain: 'example.com', path: '/' })).toBeUndefined();
		expect(jar.all()).toEqual([]);
	});
});

describe('CookieJar: matching', () => {
	it('an expired cookie is not sent and is removed from the jar', () => {
		const jar = jarOf(['short=1; Path=/; Max-Age=10', 'dated=2; Path=/; Expires=' + FUTURE, 'session=3; Path=/']);
		const url = new URL('https://example.com/');
		expect(names(jar.matching(url, SAME, NOW + 9_000))).toEqual(['short', 'dated', 'session']);
		expect(names(jar.matching(url, SAME, NOW + 10_000))).toEqual(['dated', 'session']);
		expect(names(jar.all())).toEqual(['dated', 'session']);
		expect(names(jar.matching(url, SAME, FUTURE_MS))).toEqual(['session']);
		expect(names(jar.all())).toEqual(['session']);
	});

	it('orders the Cookie header longest path first, then oldest first', () => {
		const jar = new CookieJar();
		const url = new URL('https://example.com/a/b/c');
		jar.apply(['root-new=1; Path=/'], url, NOW + 30);
		jar.apply(['ab=2; Path=/a/b'], url, NOW + 40);
		jar.apply(['root-old=3; Path=/'], url, NOW + 10);
		jar.apply(['a=4; Path=/a'], url, NOW + 20);
		jar.apply(['slash=5; Path=/a/b/'], url, NOW + 50);
		jar.apply(['ab-older=6; Path=/a/b'], url, NOW + 5);
		const sent = jar.matching(url, SAME, NOW + 100);
		expect(names(sent)).toEqual(['slash', 'ab-older', 'ab', 'a', 'root-old', 'root-new']);
		expect(cookieHeader(sent)).toBe('slash=5; ab-older=6; ab=2; a=4; root-old=3; root-new=1');
	});

	it('a replaced cookie keeps its place in the order (its creation time)', () => {
		const jar = new CookieJar();
		const url = new URL('https://example.com/');
		jar.apply(['first=1; Path=/'], url, NOW);
		jar.apply(['second=2; Path=/'], url, NOW + 1);
		jar.apply(['first=updated; Path=/'], url, NOW + 2);
		expect(cookieHeader(jar.matching(url, SAME, NOW + 3))).toBe('first=updated; second=2');
	});

	it.each<[string, string[]]>([
		['https://example.com/', ['root']],
		['https://example.com/api', ['root', 'api']],
		['https://example.com/api/', ['root', 'api']],
		['https://example.com/api/cookies', ['root', 'api', 'cookies']],
		['https://example.com/api/cookies/set', ['root', 'api', 'cookies']],
		['https://example.com/apix', ['root']],
		['https://example.com/other/api', ['root']],
	])('paths: a request to %s carries %j', (url, expected) => {
		const jar = jarOf(['root=1; Path=/', 'api=2; Path=/api', 'cookies=3']);
		expect(names(jar.matching(new URL(url), SAME, NOW + 10)).sort()).toEqual([...expected].sort());
	});

	it.each<[string, string[]]>([
		['https://example.com/', ['hostOnly', 'domain']],
		['https://www.example.com/', ['domain', 'wwwHostOnly', 'wwwDomain']],
		['https://a.www.example.com/', ['domain', 'wwwDomain']],
		['https://other.example.com/', ['domain']],
		['https://EXAMPLE.com/', ['hostOnly', 'domain']],
		['https://example.org/', []],
		['https://notexample.com/', []],
	])('domains: a request to %s carries %j', (url, expected) => {
		const jar = new CookieJar();
		jar.apply(['hostOnly=1; Path=/', 'domain=2; Path=/; Domain=example.com'], new URL('https://example.com/'), NOW);
		jar.apply(['wwwHostOnly=3; Path=/', 'wwwDomain=4; Path=/; Domain=www.example.com'], new URL('https://www.example.com/'), NOW);
		expect(names(jar.matching(new URL(url), SAME, NOW + 10)).sort()).toEqual([...expected].sort());
	});

	it.each<[string, string, string[]]>([
		['https://localhost/', 'https://localhost/', ['plain', 'secure']],
		['https://localhost/', 'http://localhost:4321/', ['plain', 'secure']],
		['http://127.0.0.1/', 'http://127.0.0.1:8080/', ['plain', 'secure']],
		['http://[::1]/', 'http://[::1]/', ['plain', 'secure']],
	])('Secure cookies set by %s go to %s (localhost counts as secure)', (from, to, expected) => {
		const jar = jarOf(['plain=1; Path=/', 'secure=2; Path=/; Secure'], from);
		expect(names(jar.matching(new URL(to), SAME, NOW + 10))).toEqual(expected);
	});

	it('a Secure cookie of a plain-http host is not sent over http, but is over https', () => {
		const jar = new CookieJar([
			{ ...parse('plain=1; Path=/', 'https://example.com/')! },
			{ ...parse('secure=2; Path=/; Secure', 'https://example.com/')!, created: NOW + 1 },
		]);
		expect(names(jar.matching(new URL('http://example.com/'), SAME, NOW + 10))).toEqual(['plain']);
		expect(names(jar.matching(new URL('https://example.com/'), SAME, NOW + 10))).toEqual(['plain', 'secure']);
	});

	const SITE_JAR = ['strict=1; Path=/; SameSite=Strict', 'lax=2; Path=/; SameSite=Lax', 'unspecified=3; Path=/', 'none=4; Path=/; SameSite=None; Secure'];
	it.each<[string, RequestSite, string[]]>([
		['same-site GET', SAME, ['strict', 'lax', 'unspecified', 'none']],
		['same-site POST', SAME_POST, ['strict', 'lax', 'unspecified', 'none']],
		['same-site navigation POST', { sameSite: true, navigation: true, method: 'POST' }, ['strict', 'lax', 'unspecified', 'none']],
		['cross-site top-level GET navigation', CROSS_NAV_GET, ['lax', 'unspecified', 'none']],
		['cross-site top-level HEAD navigation', CROSS_NAV_HEAD, ['lax', 'unspecified', 'none']],
		['cross-site top-level POST navigation', CROSS_NAV_POST, ['none']],
		['cross-site top-level PUT navigation', { sameSite: false, navigation: true, method: 'PUT' }, ['none']],
		['cross-site subresource GET', CROSS_SUB_GET, ['none']],
		['cross-site subresource POST', CROSS_SUB_POST, ['none']],
	])('SameSite: a %s carries %j', (_what, site, expected) => {
		const jar = jarOf(SITE_JAR, 'https://example.com/');
		expect(names(jar.matching(new URL('https://example.com/page'), site, NOW + 10))).toEqual(expected);
	});

	it('filter() narrows the cookies sent', () => {
		const jar = jarOf(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
		expect(names(jar.matching(new URL('https://example.com/'), SAME, NOW + 10, (c) => !c.httpOnly))).toEqual(['a']);
	});
});

describe('cookieHeader', () => {
	it.each<[Array<{ name: string; value: string }>, string]>([
		[[], ''],
		[[{ name: 'a', value: '1' }], 'a=1'],
		[
			[
				{ name: 'a', value: '1' },
				{ name: 'b', value: '' },
				{ name: 'c', value: 'x=y' },
			],
			'a=1; b=; c=x=y',
		],
	])('%j → %j', (cookies, header) => {
		expect(cookieHeader(cookies)).toBe(header);
	});
});
