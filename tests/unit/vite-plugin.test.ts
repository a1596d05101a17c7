// sw-endpoints/vite through Vite's own API: the dev server serves the worker built
// in memory and rebuilds it on an endpoint edit (a failure goes to the overlay with
// its file and line, the last good build keeps serving); `vite build` writes it
// beside index.html with Vite's output in its precache; `base` is followed.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build as viteBuild, createServer, type HMRPayload, type ViteDevServer } from 'vite';
import swEndpoints from '../../integrations/vite.mjs';
import { build } from '../../build.mjs';
import { precachedPaths } from './helpers.ts';

const dirs: string[] = [];
const servers: ViteDevServer[] = [];

function project(files: Record<string, string> = {}) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-vite-plugin-'));
	dirs.push(root);
	const all = {
		'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>',
		'src/main.js': "console.log('app');\n",
		'src/pages/api/hello.ts': "export const GET = () => new Response('v1');\n",
		'src/pages/api/static.json.ts': 'export const prerender = true;\nexport const GET = () => Response.json({ at: "build" });\n',
		'public/robots.txt': 'User-agent: *\n',
		...files,
	};
	for (const [file, text] of Object.entries(all)) {
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		fs.writeFileSync(path.join(root, file), text);
	}
	return root;
}

async function devServer(root: string, base = '/') {
	const server = await createServer({ root, base, configFile: false, logLevel: 'silent', plugins: [swEndpoints()], server: { port: 0, ws: false } });
	servers.push(server);
	await server.listen();
	const sent: HMRPayload[] = [];
	const send = server.ws.send.bind(server.ws);
	server.ws.send = ((payload: HMRPayload) => {
		sent.push(payload);
		send(payload);
	}) as typeof server.ws.send;
	const url = server.resolvedUrls!.local[0];
	return { server, sent, get: (p: string) => fetch(new URL(p, url)) };
}

async function until<T>(what: () => T | undefined, ms = 10_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const value = what();
		if (value) return value;
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

afterEach(async () => {
	for (const s of servers.splice(0)) await s.close();
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('vite dev', () => {
	it('serves the worker at <base>sw.js with the prerendered files, and adds the update helper to the page', async () => {
		const { get } = await devServer(project(), '/docs/');
		const sw = await get('/docs/sw.js');
		expect(sw.status).toBe(200);
		expect(sw.headers.get('content-type')).toMatch(/javascript/);
		expect(await sw.text()).toMatch(/"base": ?"\/docs"/);
		expect(await (await get('/docs/api/static.json')).json()).toEqual({ at: 'build' });
		expect(await (await get('/docs/')).text()).toContain('/@sw-endpoints/dev');
	});

	it('rebuilds on an endpoint edit; a broken one goes to the overlay with file and line while the last good build serves', async () => {
		const root = project();
		const { sent, get } = await devServer(root);
		const first = await (await get('/sw.js')).text();
		const file = path.join(root, 'src/pages/api/hello.ts');

		fs.writeFileSync(file, "export const GET = () => new Response('v2');\n");
		await until(() => sent.find((p) => p.type === 'custom' && p.event === 'sw-endpoints:update'));
		const second = await (await get('/sw.js')).text();
		expect(second).not.toBe(first);
		expect(second).toMatch(/["']v2["']/);

		sent.length = 0;
		fs.writeFileSync(file, "export const GET = () => new Response('v3'\n");
		const error = await until(() => sent.find((p) => p.type === 'error'));
		if (error.type !== 'error') throw new Error('unreachable');
		expect(error.err.loc?.file).toBe(file);
		// The unclosed call is reported where the file ends.
		expect(error.err.loc?.line).toBe(2);
		expect(error.err.message).toContain('src/pages/api/hello.ts:2');
		expect(await (await get('/sw.js')).text()).toBe(second);

		// Fixed again: a new build, and the page is told.
		sent.length = 0;
		fs.writeFileSync(file, "export const GET = () => new Response('v4');\n");
		await until(() => sent.find((p) => p.type === 'custom' && p.event === 'sw-endpoints:update'));
		expect(await (await get('/sw.js')).text()).toMatch(/["']v4["']/);
	});

	it('answers sw.js with a 503 naming the failure when no build ever succeeded, never the SPA fallback', async () => {
		const { get } = await devServer(project({ 'src/pages/api/hello.ts': 'export const GET = () => (\n' }));
		const sw = await get('/sw.js');
		expect(sw.status).toBe(503);
		expect(await sw.text()).toMatch(/the worker did not build: .*hello\.ts:2/s);
	});
});

describe('vite build', () => {
	it('writes sw.js and the prerendered output beside index.html, precaching Vite output and public/', async () => {
		const root = project();
		await viteBuild({ root, configFile: false, logLevel: 'silent', plugins: [swEndpoints()] });
		const out = path.join(root, 'dist');
		for (const f of ['index.html', 'sw.js', 'sw.js.map', 'robots.txt', 'api/static.json']) expect(fs.existsSync(path.join(out, f)), f).toBe(true);
		expect(fs.existsSync(path.join(out, 'sw-client.js'))).toBe(false);
		const urls = precachedPaths(fs.readFileSync(path.join(out, 'sw.js'), 'utf8'));
		expect(urls).toContain('index.html');
		expect(urls).toContain('robots.txt');
		expect(urls).toContain('api/static.json');
		expect(urls.some((u) => /^assets\/index-.*\.js$/.test(u))).toBe(true);
	});

	it('fails with the file and line of a broken endpoint', async () => {
		const root = project({ 'src/pages/api/hello.ts': 'export const GET = () => (\n' });
		await expect(viteBuild({ root, configFile: false, logLevel: 'silent', plugins: [swEndpoints()] })).rejects.toThrow(/src\/pages\/api\/hello\.ts:2/);
	});
});

describe('the CLI output folder', () => {
	it.each([
		['public', /inside public\/.*sw-endpoints\/vite.*--out \.sw-endpoints/s],
		['public/x', /inside public\//],
		['src', /inside src\//],
		['.', /the project folder itself/],
	])('refuses --out %s with what to use instead', async (out, message) => {
		const root = project();
		await expect(build({ root, out, logger: null })).rejects.toMatchObject({ code: 'InvalidOut', message: expect.stringMatching(message) });
		expect(fs.existsSync(path.join(root, 'public', 'sw.js'))).toBe(false);
	});
});
