// The conformance recorder's own logic (tests/conformance/run-astro.mjs and
// lib/serve-core.mjs): the static layer's file lookup, the generated Astro
// config, and the byte comparison `npm test` reports. The recording itself is
// checked by `run-astro.mjs --check` against the committed golden files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { astroConfigSource, firstDifference } from '../conformance/run-astro.mjs';
import { listFiles, serveCore, staticContentType, staticFileFor } from '../conformance/lib/serve-core.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-serve-core-'));
fs.mkdirSync(path.join(dir, 'static', 'files'), { recursive: true });
fs.writeFileSync(path.join(dir, 'static', 'with space.json'), '{}');
fs.writeFileSync(path.join(dir, 'static', 'café.json'), '{"c":1}');
fs.writeFileSync(path.join(dir, 'static', 'files', 'one.txt'), 'one');
fs.writeFileSync(path.join(dir, 'data.json'), '{"d":1}');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('serve-core: the static layer', () => {
	it.each<[string, string | null]>([
		['/data.json', 'data.json'],
		['/data.json?x=1', 'data.json'],
		['/static/with%20space.json', 'static/with space.json'],
		['/static/caf%C3%A9.json', 'static/café.json'],
		['/static/files/one.txt#frag', 'static/files/one.txt'],
		// exact paths only: no folder index, no trailing slash, nothing outside the folder
		['/static', null],
		['/static/', null],
		['/data.json/', null],
		['/static/../data.json', null],
		['/static/%2e%2e/data.json', null],
		['/%E0%A4%A', null],
		['//data.json', null],
		['/missing.json', null],
	])('%s → %s', (url, file) => {
		expect(staticFileFor(dir, url)).toBe(file === null ? null : path.join(dir, file));
	});

	it('types files by extension, else application/octet-stream', () => {
		expect(['a.json', 'a.txt', 'a.PNG', 'moved', 'a.unknown'].map(staticContentType)).toEqual([
			'application/json',
			'text/plain; charset=utf-8',
			'image/png',
			'application/octet-stream',
			'application/octet-stream',
		]);
	});

	it('lists every file, sorted, as POSIX paths', () => {
		expect(listFiles(dir)).toEqual(['data.json', 'static/café.json', 'static/files/one.txt', 'static/with space.json']);
	});

	it('answers GET and HEAD from the folder and hands everything else to the handler', async () => {
		const server = await serveCore({
			clientDir: dir,
			handler: (req, res) => {
				res.statusCode = 418;
				res.end(`handler ${req.method} ${req.url}`);
			},
		});
		try {
			const get = await fetch(`${server.origin}/data.json`);
			expect([get.status, get.headers.get('content-type'), await get.text()]).toEqual([200, 'application/json', '{"d":1}']);
			const head = await fetch(`${server.origin}/data.json`, { method: 'HEAD' });
			expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '7', '']);
			const post = await fetch(`${server.origin}/data.json`, { method: 'POST', body: 'x' });
			expect([post.status, await post.text()]).toEqual([418, 'handler POST /data.json']);
			const miss = await fetch(`${server.origin}/static/`);
			expect([miss.status, await miss.text()]).toEqual([418, 'handler GET /static/']);
		} finally {
			await server.close();
		}
	});
});

describe('run-astro', () => {
	it("builds with output 'server' and the Node adapter in middleware mode unless the fixture says otherwise", () => {
		expect(astroConfigSource({})).toContain('"output":"server"');
		expect(astroConfigSource({})).toContain("adapter: node({ mode: 'middleware' })");
		const statik = astroConfigSource({ output: 'static', site: 'https://example.com' });
		expect(statik).toContain('"output":"static"');
		expect(statik).toContain('"site":"https://example.com"');
		// caches stay inside the temporary copy (node_modules is the shared toolchain's)
		expect(statik).toContain('"cacheDir":"./.astro-cache"');
	});

	it('reports where a recording first differs from the golden file, byte for byte', () => {
		expect(firstDifference('{\n  "a": 1\n}\n', '{\n  "a": 1\n}\n')).toBeNull();
		expect(firstDifference('{\n  "a": 1\n}\n', '{\n  "a": 2\n}\n')).toEqual({ line: 2, expected: '  "a": 1', actual: '  "a": 2' });
		// a missing final newline is a difference
		expect(firstDifference('{}\n', '{}')).toEqual({ line: 2, expected: '', actual: '(end of file)' });
		expect(firstDifference('', '{}\n')).toEqual({ line: 1, expected: '', actual: '{}' });
	});
});
