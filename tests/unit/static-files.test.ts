// The static layer's one rule set (sw/core/static-files.ts), used by the worker's
// precache and by Node mode: GET and HEAD, exact paths, a folder for its index.html.
import { describe, expect, it } from 'vitest';
import { isReadMethod, isSafeMethod, staticIndex } from '../../sw/core/static-files.ts';

describe('staticIndex', () => {
	it('answers a file at its path, and a folder (with or without the slash) with its index.html', () => {
		const index = staticIndex(
			[
				['api/tags.json', 'tags'],
				['docs/index.html', 'docs'],
				['index.html', 'home'],
			],
			'/base/',
		);
		expect(Object.fromEntries(index)).toEqual({
			'/base/api/tags.json': 'tags',
			'/base/docs/index.html': 'docs',
			'/base/docs/': 'docs',
			'/base/docs': 'docs',
			'/base/index.html': 'home',
			'/base/': 'home',
			'/base': 'home',
		});
	});

	it('at the root, `/` is the home page and there is no empty path', () => {
		const index = staticIndex([['index.html', 'home']], '/');
		expect([...index.keys()]).toEqual(['/index.html', '/']);
	});

	it('an `index.html`-like name that is not one is just a file', () => {
		expect([...staticIndex([['api/myindex.html', 'x']], '/').keys()]).toEqual(['/api/myindex.html']);
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
