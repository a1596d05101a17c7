import { describe, expect, it } from 'vitest';
import { AstroCookie, AstroCookies, ResponseSentError, parseCookieHeader, serializeCookie } from '../../sw/core/cookies.ts';
import type { AstroCookieDeleteOptions, AstroCookieSetOptions } from '../../sw/core/cookies.ts';

const EPOCH = 'Expires=Thu, 01 Jan 1970 00:00:00 GMT';
const Y2037 = new Date(Date.UTC(2037, 0, 2, 3, 4, 5));

describe('AstroCookie', () => {
	it.each([
		['42', 42, true],
		['0', 0, false],
		['false', Number.NaN, false],
		['', 0, false],
		['true', Number.NaN, true],
		['abc', Number.NaN, true],
		['-1.5', -1.5, true],
	])('%j → number %d, boolean %s', (value, number, boolean) => {
		const cookie = new AstroCookie(value);
		expect(cookie.value).toBe(value);
		expect(cookie.number()).toBe(number);
		expect(cookie.boolean()).toBe(boolean);
	});

	it.each([
		['{"a":[1,"b"]}', { a: [1, 'b'] }],
		['12', 12],
		['"s"', 's'],
		['null', null],
	])('json() of %j', (value, expected) => {
		expect(new AstroCookie(value).json()).toEqual(expected);
	});

	it.each(['nope', '', '{a:1}'])('json() of %j throws SyntaxError', (value) => {
		expect(() => new AstroCookie(value).json()).toThrow(SyntaxError);
	});
});

describe('serializeCookie', () => {
	it.each<[string, string, AstroCookieSetOptions | undefined, string]>([
		['nopath', 'default-path', undefined, 'nopath=default-path'],
		[
			'full',
			'x',
			{ path: '/api', domain: 'localhost', expires: Y2037, maxAge: 3600, httpOnly: true, secure: true, sameSite: 'strict', partitioned: true },
			'full=x; Max-Age=3600; Domain=localhost; Path=/api; Expires=Fri, 02 Jan 2037 03:04:05 GMT; HttpOnly; Secure; Partitioned; SameSite=Strict',
		],
		['none', 'n', { path: '/', sameSite: 'none', secure: true }, 'none=n; Path=/; Secure; SameSite=None'],
		['p', 'v', { sameSite: 'lax', priority: 'high', partitioned: true }, 'p=v; Partitioned; Priority=High; SameSite=Lax'],
		['p', 'v', { priority: 'low' }, 'p=v; Priority=Low'],
		['p', 'v', { priority: 'MEDIUM' as 'medium' }, 'p=v; Priority=Medium'],
		['s', 'v', { sameSite: true }, 's=v; SameSite=Strict'],
		['s', 'v', { sameSite: 'LAX' as 'lax' }, 's=v; SameSite=Lax'],
		['s', 'v', { sameSite: false, httpOnly: false, secure: false, partitioned: false }, 's=v'],
		['m', 'v', { maxAge: 0 }, 'm=v; Max-Age=0'],
		['m', 'v', { maxAge: -1 }, 'm=v; Max-Age=-1'],
		['d', 'v', { domain: '.Example.com' }, 'd=v; Domain=.Example.com'],
		['e', 'v', { domain: '', path: '' }, 'e=v'],
		['enc', 'a/b c', undefined, 'enc=a%2Fb%20c'],
		['raw', 'a/b"c', { encode: (v) => v }, 'raw=a/b"c'],
		['empty', '', undefined, 'empty='],
		['__Host-x!#$%&*', 'v', undefined, '__Host-x!#$%&*=v'],
	])('%s=%j %j', (name, value, options, expected) => {
		expect(serializeCookie(name, value, options)).toBe(expected);
	});

	it.each<[string, string, AstroCookieSetOptions, RegExp]>([
		['bad name', 'v', {}, /^argument name is invalid/],
		['a=b', 'v', {}, /^argument name is invalid/],
		['a;b', 'v', {}, /^argument name is invalid/],
		['', 'v', {}, /^argument name is invalid/],
		['caf\u00e9', 'v', {}, /^argument name is invalid/],
		['n', 'a;b', { encode: (v) => v }, /^argument val is invalid/],
		['n', 'a b', { encode: (v) => v }, /^argument val is invalid/],
		['n', 'v', { maxAge: 1.5 }, /^option maxAge is invalid/],
		['n', 'v', { maxAge: Number.NaN }, /^option maxAge is invalid/],
		['n', 'v', { maxAge: Number.POSITIVE_INFINITY }, /^option maxAge is invalid/],
		['n', 'v', { domain: 'exa mple.com' }, /^option domain is invalid/],
		['n', 'v', { domain: 'example.com.' }, /^option domain is invalid/],
		['n', 'v', { domain: '-bad.com' }, /^option domain is invalid/],
		['n', 'v', { path: '/a;b' }, /^option path is invalid/],
		['n', 'v', { path: '/caf\u00e9' }, /^option path is invalid/],
		['n', 'v', { expires: new Date('nope') }, /^option expires is invalid/],
		['n', 'v', { expires: 'Fri, 02 Jan 2037' as unknown as Date }, /^option expires is invalid/],
		['n', 'v', { sameSite: 'bogus' as 'lax' }, /^option sameSite is invalid/],
		['n', 'v', { priority: 'urgent' as 'low' }, /^option priority is invalid/],
	])('%j=%j %j throws TypeError', (name, value, options, message) => {
		expect(() => serializeCookie(name, value, options)).toThrow(TypeError);
		expect(() => serializeCookie(name, value, options)).toThrow(message);
	});
});

describe('parseCookieHeader', () => {
	it.each<[string, Record<string, string>]>([
		['a=1; b=2', { a: '1', b: '2' }],
		['plain="quoted";spaced=  padded  ;  missing=x', { plain: '"quoted"', spaced: 'padded', missing: 'x' }],
		['dup=first; dup=second', { dup: 'first' }],
		['empty=; dup=; dup=x', { empty: '', dup: '' }],
		['flag; a=1; other', { a: '1' }],
		['a=b=c', { a: 'b=c' }],
		['enc=a%20b', { enc: 'a%20b' }],
		['\ta \t=\t x\t', { a: 'x' }],
		['', {}],
		[';;', {}],
	])('%j', (header, expected) => {
		expect({ ...parseCookieHeader(header) }).toEqual(expected);
	});

	it('has no prototype keys', () => {
		const cookies = parseCookieHeader('a=1');
		expect('toString' in cookies).toBe(false);
		expect(parseCookieHeader('toString=x; __proto__=y')).toMatchObject({ toString: 'x' });
	});
});

describe('AstroCookies reading the request', () => {
	const header = 'plain=hello; enc=a%20b; empty=; bad=%E0%A4%A; dup=first; dup=second; q="quoted"; sp=  padded  ; json=%7B%22n%22%3A1%7D';

	it.each<[string, string | undefined, boolean]>([
		['plain', 'hello', true],
		['enc', 'a b', true],
		['empty', undefined, true],
		['bad', '%E0%A4%A', true],
		['dup', 'first', true],
		['q', '"quoted"', true],
		['sp', 'padded', true],
		['json', '{"n":1}', true],
		['missing', undefined, false],
		['Plain', undefined, false],
	])('get(%j) → %j, has → %s', (name, value, has) => {
		const cookies = new AstroCookies(header);
		expect(cookies.get(name)?.value).toBe(value);
		expect(cookies.has(name)).toBe(has);
	});

	it.each<[string, (v: string) => string, string]>([
		['enc', (v) => v, 'a%20b'],
		['plain', (v) => v.toUpperCase(), 'HELLO'],
		[
			'plain',
			() => {
				throw new Error('boom');
			},
			'hello',
		],
	])('get(%j) with a custom decode', (name, decode, expected) => {
		expect(new AstroCookies(header).get(name, { decode })?.value).toBe(expected);
	});

	it.each([null, ''])('header %j has no cookies', (value) => {
		const cookies = new AstroCookies(value);
		expect(cookies.get('a')).toBeUndefined();
		expect(cookies.has('a')).toBe(false);
		expect([...cookies.headers()]).toEqual([]);
	});

	it('converts read values', () => {
		const cookies = new AstroCookies('n=42; f=false; j=%7B%22a%22%3A1%7D');
		expect(cookies.get('n')?.number()).toBe(42);
		expect(cookies.get('f')?.boolean()).toBe(false);
		expect(cookies.get('j')?.json()).toEqual({ a: 1 });
	});
});

describe('AstroCookies.set', () => {
	it.each<[unknown, string, string]>([
		['hello', 'hello', 'hello'],
		['a/b:c@d', 'a/b:c@d', 'a/b:c@d'],
		['a b;c,d"e\\f%g', 'a b;c,d"e\\f%g', 'a%20b%3Bc%2Cd%22e%5Cf%25g'],
		['café ✓', 'café ✓', 'caf%C3%A9%20%E2%9C%93'],
		['100%', '100%', '100%25'],
		['changed in request', 'changed in request', 'changed%20in%20request'],
		['', '', ''],
		[{ a: 1, b: 'two' }, '{"a":1,"b":"two"}', '%7B%22a%22%3A1%2C%22b%22%3A%22two%22%7D'],
		[{ nested: [1, 2] }, '{"nested":[1,2]}', '%7B%22nested%22%3A%5B1%2C2%5D%7D'],
		[42, '42', '42'],
		[-1.5, '-1.5', '-1.5'],
		[false, 'false', 'false'],
		[true, 'true', 'true'],
		[[1, 2], '1,2', '1%2C2'],
		[{ toString: () => 'custom' }, 'custom', 'custom'],
		[{ [Symbol.toStringTag]: 'Tagged', v: 1 }, '{"v":1}', '%7B%22v%22%3A1%7D'],
	])('%j is stored as %j and sent as %j', (value, stored, sent) => {
		const cookies = new AstroCookies('c=request');
		cookies.set('c', value as string);
		expect(cookies.get('c')?.value).toBe(stored);
		expect(cookies.has('c')).toBe(true);
		expect([...cookies.headers()]).toEqual([`c=${sent}`]);
	});

	it.each<[string, string, AstroCookieSetOptions, string]>([
		['keep me', 'keep me', { encode: (v) => v.replace(' ', '_') }, 'k=keep_me'],
		['a/b', 'a/b', { encode: encodeURIComponent, path: '/' }, 'k=a%2Fb; Path=/'],
		['a/b', 'a/b', { encode: undefined } as unknown as AstroCookieSetOptions, 'k=a/b'],
		['x', 'x', { path: '/', httpOnly: true, sameSite: 'lax' }, 'k=x; Path=/; HttpOnly; SameSite=Lax'],
	])('set(k, %j, options) keeps %j and sends %j', (value, stored, options, line) => {
		const cookies = new AstroCookies(null);
		cookies.set('k', value, options);
		expect(cookies.get('k')?.value).toBe(stored);
		expect([...cookies.headers()]).toEqual([line]);
	});

	it.each<[string, string, AstroCookieSetOptions | undefined, RegExp]>([
		['bad name', 'v', undefined, /argument name is invalid/],
		['k', 'a b', { encode: (v) => v }, /argument val is invalid/],
		['k', 'v', { maxAge: 1.5 }, /option maxAge is invalid/],
		['k', 'v', { sameSite: 'sometimes' as 'lax' }, /option sameSite is invalid/],
		['k', 'v', { domain: 'bad domain' }, /option domain is invalid/],
	])('set(%j, %j, %j) throws TypeError and stores nothing', (name, value, options, message) => {
		const cookies = new AstroCookies(null);
		expect(() => cookies.set(name, value, options)).toThrow(message);
		expect(() => cookies.set(name, value, options)).toThrow(TypeError);
		expect(cookies.has(name)).toBe(false);
		expect([...cookies.headers()]).toEqual([]);
	});

	it('re-setting a name keeps its first position with the last value', () => {
		const cookies = new AstroCookies(null);
		cookies.set('a', '1');
		cookies.set('b', '2');
		cookies.set('a', '3', { path: '/' });
		expect([...cookies.headers()]).toEqual(['a=3; Path=/', 'b=2']);
	});
});

describe('AstroCookies.delete', () => {
	it.each<[string, AstroCookieDeleteOptions | undefined, string]>([
		['plain', { path: '/' }, `plain=deleted; Path=/; ${EPOCH}`],
		['obj', undefined, `obj=deleted; ${EPOCH}`],
		[
			'full',
			{ path: '/api', domain: 'localhost', httpOnly: true, secure: true, sameSite: 'strict' },
			`full=deleted; Domain=localhost; Path=/api; ${EPOCH}; HttpOnly; Secure; SameSite=Strict`,
		],
		['p', { partitioned: true, secure: true, sameSite: 'none' }, `p=deleted; ${EPOCH}; Secure; Partitioned; SameSite=None`],
		['ignored', { path: '/', expires: Y2037, maxAge: 60, encode: () => 'x' } as AstroCookieDeleteOptions, `ignored=deleted; Path=/; ${EPOCH}`],
	])('delete(%j, %j)', (name, options, line) => {
		const cookies = new AstroCookies(`${name}=present`);
		expect(cookies.has(name)).toBe(true);
		cookies.delete(name, options);
		expect(cookies.get(name)).toBeUndefined();
		expect(cookies.has(name)).toBe(false);
		expect([...cookies.headers()]).toEqual([line]);
	});

	it('set after delete revives the cookie in place', () => {
		const cookies = new AstroCookies(null);
		cookies.delete('a');
		cookies.set('b', '1');
		cookies.set('a', 'back');
		expect(cookies.get('a')?.value).toBe('back');
		expect([...cookies.headers()]).toEqual(['a=back', 'b=1']);
	});

	it('rejects invalid options with TypeError', () => {
		expect(() => new AstroCookies(null).delete('a', { path: '/a;b' })).toThrow(/option path is invalid/);
	});
});

describe('AstroCookies.merge, headers and consume', () => {
	it('merge copies outgoing entries, the other instance winning', () => {
		const a = new AstroCookies('z=request');
		a.set('x', '1');
		a.set('y', '1');
		const b = new AstroCookies(null);
		b.set('y', 'two 2');
		b.delete('z');
		b.set('w', '4');
		a.merge(b);
		expect([...a.headers()]).toEqual(['x=1', 'y=two%202', `z=deleted; ${EPOCH}`, 'w=4']);
		expect(a.get('y')?.value).toBe('two 2');
		expect(a.has('z')).toBe(false);
		expect([...b.headers()]).toEqual(['y=two%202', `z=deleted; ${EPOCH}`, 'w=4']);
	});

	it('headers() is a generator over the current entries', () => {
		const cookies = new AstroCookies(null);
		const lines = cookies.headers();
		expect(typeof lines.next).toBe('function');
		expect(lines[Symbol.iterator]()).toBe(lines);
		cookies.set('late', '1');
		expect([...lines]).toEqual(['late=1']);
	});

	it('consume() returns the lines and makes later set() throw ResponseSentError', () => {
		const cookies = new AstroCookies('a=1');
		cookies.set('a', '2');
		expect(cookies.consume()).toEqual(['a=2']);
		let error: unknown;
		try {
			cookies.set('b', '3');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ResponseSentError);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).name).toBe('ResponseSentError');
		expect((error as Error).message).toBe('The response has already been sent to the browser and cannot be altered.');
		expect(cookies.has('b')).toBe(false);
		expect(cookies.get('a')?.value).toBe('2');
		expect(cookies.consume()).toEqual(['a=2']);
	});

	it('runs the recorded end-to-end sequence', () => {
		const cookies = new AstroCookies('plain=hello');
		expect(cookies.has('plain')).toBe(true);
		expect(cookies.get('plain')?.value).toBe('hello');
		cookies.set('plain', 'changed in request', { path: '/' });
		expect(cookies.get('plain')?.value).toBe('changed in request');
		cookies.set('tmp', { nested: [1, 2] }, { path: '/' });
		expect(cookies.get('tmp')?.json()).toEqual({ nested: [1, 2] });
		cookies.delete('tmp', { path: '/' });
		expect(cookies.has('tmp')).toBe(false);
		expect([...cookies.headers()]).toEqual(['plain=changed%20in%20request; Path=/', `tmp=deleted; Path=/; ${EPOCH}`]);
	});
});
