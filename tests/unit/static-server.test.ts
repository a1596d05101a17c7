import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../testing/static-server.mjs';

type Served = Awaited<ReturnType<typeof serveStatic>>;

interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** Sends a request with the path exactly as given (no client-side normalisation) and collects the answer. */
function raw(server: Served, path: string, method = 'GET'): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: server.port, path, method, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

let dir: string;
let site: string;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'static-server-'));
	site = join(dir, 'site');
	await mkdir(join(site, 'sub'), { recursive: true });
	await mkdir(join(site, 'empty'), { recursive: true });
	// A secret beside the served root, which traversal must never reach.
	await writeFile(join(dir, 'secret.txt'), 'top secret');
	const files: Record<string, string> = {
		'index.html': '<!doctype html><title>root</title>',
		'sub/index.html': '<!doctype html><title>sub</title>',
		'sw.js': 'self.addEventListener("fetch", () => {});',
		'mod.mjs': 'export const a = 1;',
		'style.css': 'body{}',
		'data.json': '{"ok":true}',
		'pic.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
		'pic.png': 'png',
		'pic.jpg': 'jpg',
		'pic.gif': 'gif',
		'pic.webp': 'webp',
		'favicon.ico': 'ico',
		'notes.txt': 'hello notes',
		'app.wasm': 'wasm',
		'sw.js.map': '{"version":3}',
		'blob.bin': 'binary',
		'with space.txt': 'spaced',
	};
	for (const [name, text] of Object.entries(files)) await writeFile(join(site, name), text);
	// Links: one out of the root (to the folder holding the secret), one to a file inside it.
	await symlink(dir, join(site, 'linkdir'));
	await symlink(join(dir, 'secret.txt'), join(site, 'secret-link.txt'));
	await symlink(join(site, 'notes.txt'), join(site, 'notes-link.txt'));
});

describe('serveStatic and links', () => {
	let server: Served;
	beforeAll(async () => {
		server = await serveStatic({ root: site });
	});
	afterAll(() => server.close());

	it('never follows a link out of its root', async () => {
		expect((await raw(server, '/linkdir/secret.txt')).status).toBe(404);
		expect((await raw(server, '/secret-link.txt')).status).toBe(404);
	});

	it('follows a link that stays inside it', async () => {
		expect(await raw(server, '/notes-link.txt')).toMatchObject({ status: 200, body: 'hello notes' });
	});
});

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('serveStatic at base /', () => {
	let server: Served;
	beforeAll(async () => {
		server = await serveStatic({ root: site });
	});
	afterAll(async () => {
		await server.close();
	});

	it('picks a free port and reports a url without a trailing slash', () => {
		expect(server.port).toBeGreaterThan(0);
		expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
	});

	it.each([
		['/index.html', 'text/html'],
		['/sw.js', 'text/javascript'],
		['/mod.mjs', 'text/javascript'],
		['/style.css', 'text/css'],
		['/data.json', 'application/json'],
		['/pic.svg', 'image/svg+xml'],
		['/pic.png', 'image/png'],
		['/pic.jpg', 'image/jpeg'],
		['/pic.gif', 'image/gif'],
		['/pic.webp', 'image/webp'],
		['/favicon.ico', 'image/x-icon'],
		['/notes.txt', 'text/plain'],
		['/app.wasm', 'application/wasm'],
		['/sw.js.map', 'application/json'],
		['/blob.bin', 'application/octet-stream'],
	])('serves %s as %s with no-cache', async (path, type) => {
		const res = await fetch(server.url + path);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')?.split(';')[0]).toBe(type);
		expect(res.headers.get('cache-control')).toBe('no-cache');
		await res.arrayBuffer();
	});

	it('serves file bodies byte for byte', async () => {
		const res = await fetch(`${server.url}/notes.txt`);
		expect(await res.text()).toBe('hello notes');
		expect(res.headers.get('content-length')).toBe(String('hello notes'.length));
	});

	it('percent-decodes paths', async () => {
		const res = await fetch(`${server.url}/with%20space.txt`);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('spaced');
	});

	it('ignores the query string', async () => {
		const res = await fetch(`${server.url}/notes.txt?v=2`);
		expect(await res.text()).toBe('hello notes');
	});

	it('serves index.html for / and for a folder with a trailing slash', async () => {
		const top = await fetch(`${server.url}/`);
		expect(top.status).toBe(200);
		expect(top.headers.get('content-type')).toMatch(/^text\/html/);
		expect(await top.text()).toContain('<title>root</title>');
		const sub = await fetch(`${server.url}/sub/`);
		expect(sub.status).toBe(200);
		expect(await sub.text()).toContain('<title>sub</title>');
	});

	it('redirects a folder without its trailing slash and keeps the query', async () => {
		const res = await raw(server, '/sub?x=1');
		expect(res.status).toBe(301);
		expect(res.headers.location).toBe('/sub/?x=1');
	});

	it('never redirects to another host', async () => {
		await mkdir(join(site, 'evil.example'), { recursive: true });
		const res = await raw(server, '//evil.example');
		expect(res.status).toBe(301);
		expect(res.headers.location).toBe('/evil.example/');
	});

	it('answers 404 with a small text body for missing files and folders without index.html', async () => {
		for (const path of ['/missing.html', '/nope/', '/empty/']) {
			const res = await raw(server, path);
			expect(res.status, path).toBe(404);
			expect(res.headers['content-type']).toMatch(/^text\/plain/);
			expect(res.headers['cache-control']).toBe('no-cache');
			expect(res.body.trim()).toBe('Not found');
		}
	});

	it.each([
		'/../secret.txt',
		'/../../../../etc/passwd',
		'/sub/../../secret.txt',
		'/%2e%2e/secret.txt',
		'/%2E%2E/secret.txt',
		'/..%2fsecret.txt',
		'/%2e%2e%2fsecret.txt',
		'/sub/%2e%2e/%2e%2e/secret.txt',
	])('refuses traversal %s', async (path) => {
		const res = await raw(server, path);
		expect(res.status).toBe(404);
		expect(res.body).not.toContain('top secret');
	});

	it('refuses absolute-form request targets (it is no proxy)', async () => {
		const res = await raw(server, 'http://example.com/notes.txt');
		expect(res.status).toBe(404);
	});

	it('answers 400 for malformed percent-encoding and NUL bytes', async () => {
		expect((await raw(server, '/%E0%A4%A.txt')).status).toBe(400);
		expect((await raw(server, '/%zz')).status).toBe(400);
		expect((await raw(server, '/notes.txt%00.html')).status).toBe(400);
	});

	it('answers HEAD with headers but no body', async () => {
		const res = await raw(server, '/notes.txt', 'HEAD');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/^text\/plain/);
		expect(res.headers['content-length']).toBe(String('hello notes'.length));
		expect(res.body).toBe('');
		const missing = await raw(server, '/missing.txt', 'HEAD');
		expect(missing.status).toBe(404);
		expect(missing.body).toBe('');
	});

	it('refuses other methods with 405', async () => {
		const res = await raw(server, '/notes.txt', 'POST');
		expect(res.status).toBe(405);
		expect(res.headers.allow).toBe('GET, HEAD');
	});

	it('sends Service-Worker-Allowed only on scripts', async () => {
		const js = await raw(server, '/sw.js');
		expect(js.headers['service-worker-allowed']).toBe('/');
		const mjs = await raw(server, '/mod.mjs');
		expect(mjs.headers['service-worker-allowed']).toBe('/');
		const html = await raw(server, '/index.html');
		expect(html.headers['service-worker-allowed']).toBeUndefined();
		const map = await raw(server, '/sw.js.map');
		expect(map.headers['service-worker-allowed']).toBeUndefined();
	});
});

describe('serveStatic under base /docs/', () => {
	let server: Served;
	beforeAll(async () => {
		server = await serveStatic({ root: site, base: '/docs/' });
	});
	afterAll(async () => {
		await server.close();
	});

	it('maps the root under the prefix', async () => {
		const index = await fetch(`${server.url}/docs/`);
		expect(index.status).toBe(200);
		expect(await index.text()).toContain('<title>root</title>');
		const notes = await fetch(`${server.url}/docs/notes.txt`);
		expect(await notes.text()).toBe('hello notes');
		const sub = await fetch(`${server.url}/docs/sub/`);
		expect(await sub.text()).toContain('<title>sub</title>');
	});

	it('answers 404 outside the prefix', async () => {
		for (const path of ['/', '/notes.txt', '/docsnotes.txt', '/doc/notes.txt']) {
			expect((await raw(server, path)).status, path).toBe(404);
		}
	});

	it('redirects the bare prefix to the prefix with its slash', async () => {
		const res = await raw(server, '/docs');
		expect(res.status).toBe(301);
		expect(res.headers.location).toBe('/docs/');
	});

	it('refuses traversal out of the root through the prefix', async () => {
		for (const path of ['/docs/../secret.txt', '/docs/%2e%2e/secret.txt', '/docs/..%2f..%2fsecret.txt']) {
			const res = await raw(server, path);
			expect(res.status, path).toBe(404);
			expect(res.body).not.toContain('top secret');
		}
	});

	it('sends Service-Worker-Allowed with the base on scripts', async () => {
		const res = await raw(server, '/docs/sw.js');
		expect(res.status).toBe(200);
		expect(res.headers['service-worker-allowed']).toBe('/docs/');
	});

	it('accepts a base written without slashes', async () => {
		const other = await serveStatic({ root: site, base: 'docs' });
		try {
			const res = await raw(other, '/docs/sw.js');
			expect(res.status).toBe(200);
			expect(res.headers['service-worker-allowed']).toBe('/docs/');
		} finally {
			await other.close();
		}
	});
});

describe('serveStatic fallback hook', () => {
	let server: Served;
	const seen: string[] = [];
	beforeAll(async () => {
		server = await serveStatic({
			root: site,
			fallback(req, res) {
				seen.push(req.url ?? '');
				if (req.url !== '/__live') return false;
				res.writeHead(200, { 'Content-Type': 'text/event-stream' });
				res.end('data: hi\n\n');
				return true;
			},
		});
	});
	afterAll(async () => {
		await server.close();
	});

	it('lets the hook answer what would be a 404', async () => {
		const res = await raw(server, '/__live');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/event-stream');
		expect(res.body).toBe('data: hi\n\n');
	});

	it('still answers 404 when the hook declines', async () => {
		const res = await raw(server, '/other');
		expect(res.status).toBe(404);
		expect(seen).toContain('/other');
	});

	it('is not consulted for files that exist', async () => {
		seen.length = 0;
		expect((await raw(server, '/notes.txt')).status).toBe(200);
		expect(seen).toEqual([]);
	});
});

describe('serveStatic on a fixed port', () => {
	it('listens on the port asked for and closes cleanly', async () => {
		const first = await serveStatic({ root: site });
		const { port } = first;
		await first.close();
		const second = await serveStatic({ root: site, port });
		try {
			expect(second.port).toBe(port);
			expect((await fetch(`${second.url}/notes.txt`)).status).toBe(200);
		} finally {
			await second.close();
		}
		await expect(fetch(`${second.url}/notes.txt`)).rejects.toThrow();
	});
});

describe('serveStatic mounts', () => {
	let server: Served;
	let vendor: string;
	beforeAll(async () => {
		vendor = join(dir, 'vendor-pkg');
		await mkdir(join(vendor, 'esm'), { recursive: true });
		await writeFile(join(vendor, 'esm', 'browser.js'), 'export const initialize = () => {};');
		await writeFile(join(vendor, 'esbuild.wasm'), 'wasm');
		server = await serveStatic({ root: site, base: '/docs/', mounts: { '/vendor/esbuild-wasm/': vendor, tools: join(site, 'sub') } });
	});
	afterAll(async () => {
		await server.close();
	});

	it('serves a mounted folder under the base, typed like root files', async () => {
		const wasm = await raw(server, '/docs/vendor/esbuild-wasm/esbuild.wasm');
		expect(wasm.status).toBe(200);
		expect(wasm.headers['content-type']).toBe('application/wasm');
		expect(wasm.body).toBe('wasm');
		const js = await raw(server, '/docs/vendor/esbuild-wasm/esm/browser.js');
		expect(js.headers['content-type']).toMatch(/^text\/javascript/);
		// A key without slashes is a folder too.
		expect((await raw(server, '/docs/tools/')).body).toContain('<title>sub</title>');
	});

	it('keeps serving root around the mounts', async () => {
		expect((await raw(server, '/docs/notes.txt')).body).toBe('hello notes');
		expect((await raw(server, '/vendor/esbuild-wasm/esbuild.wasm')).status).toBe(404);
	});

	it.each([
		'/docs/vendor/esbuild-wasm/../../secret.txt',
		'/docs/vendor/esbuild-wasm/%2e%2e/%2e%2e/secret.txt',
		'/docs/vendor/esbuild-wasm/..%2f..%2fsecret.txt',
		'/docs/vendor/esbuild-wasm/..%2f..%2f..%2fsecret.txt',
	])('refuses traversal out of a mount %s', async (path) => {
		const res = await raw(server, path);
		expect(res.status).toBe(404);
		expect(res.body).not.toContain('top secret');
	});
});
