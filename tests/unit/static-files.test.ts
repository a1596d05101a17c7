// The static layer's one rule set (sw/core/static-files.ts), used by the worker's
// precache and by Node mode: GET and HEAD, exact paths, a folder for its index.html.
import { describe, expect, it } from 'vitest';
import { isReadMethod, isSafeMethod, staticPath } from '../../sw/core/static-files.ts';

describe('staticPath', () => {
	const lookup = (files: string[], prefix: string) => (pathname: string) => staticPath(pathname, prefix, (p) => files.includes(p));

	it('answers a file at its path, and a folder (with or without the slash) with its index.html', () => {
		const at = lookup(['api/tags.json', 'docs/index.html', 'index.html'], '/base/');
		expect(at('/base/api/tags.json')).toBe('api/tags.json');
		expect(at('/base/docs/index.html')).toBe('docs/index.html');
		expect(at('/base/docs/')).toBe('docs/index.html');
		expect(at('/base/docs')).toBe('docs/index.html');
		expect(at('/base/index.html')).toBe('index.html');
		expect(at('/base/')).toBe('index.html');
		expect(at('/base')).toBe('index.html');
	});

	it('answers nothing outside the base, for a missing file, or for a folder without an index.html', () => {
		const at = lookup(['api/tags.json', 'docs/index.html'], '/base/');
		expect(at('/api/tags.json')).toBeUndefined();
		expect(at('/basement/api/tags.json')).toBeUndefined();
		expect(at('/base/api/missing.json')).toBeUndefined();
		expect(at('/base/api/')).toBeUndefined();
		expect(at('/base/api')).toBeUndefined();
		expect(at('/base/')).toBeUndefined();
		expect(at('/base/api/tags.json/')).toBeUndefined();
	});

	it('at the root, `/` is the home page', () => {
		expect(lookup(['index.html'], '/')('/')).toBe('index.html');
		expect(lookup(['index.html'], '/')('/index.html')).toBe('index.html');
	});

	it('an `index.html`-like name that is not one is just a file', () => {
		const at = lookup(['api/myindex.html'], '/');
		expect(at('/api/myindex.html')).toBe('api/myindex.html');
		expect(at('/api/my')).toBeUndefined();
		expect(at('/api/')).toBeUndefined();
	});

	it('a file and a folder of the same name: the file answers its path', () => {
		const at = lookup(['docs', 'docs/index.html'], '/');
		expect(at('/docs')).toBe('docs');
		expect(at('/docs/')).toBe('docs/index.html');
	});
});

describe('methods', () => {
	it.each([
		['GET', true, true],
		['HEAD', true, true],
		['OPTIONS', false, true],
		['POST', false, false],
		['get', false, false],
	])('%s: read %s, safe %s', (method, read, safe) => {
		expect(isReadMethod(method)).toBe(read);
		expect(isSafeMethod(method)).toBe(safe);
	});
});
