// Graduation: examples/todo-app's endpoints, unchanged, give the same transcript
// through a real Astro server (`astro build` with @astrojs/node in standalone
// mode, run by Node 22, called from Chromium) and through sw-endpoints (the
// adapter's worker from a static server, in Chromium, Firefox and WebKit). The
// two sites differ in the adapter line alone.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serveStatic } from '../../testing/static-server.mjs';
import { ENGINES, launch, type EngineName } from '../engines/index.mjs';
import { REPO, astroBuild, freePort, makeSite, startServer } from './helpers.ts';

const ADAPTERS = {
	'sw-endpoints': "import swEndpoints from 'sw-endpoints/astro';\nconst adapter = swEndpoints();",
	'@astrojs/node': "import node from '@astrojs/node';\nconst adapter = node({ mode: 'standalone' });",
};

/** The todo app's site for `adapter`: its src/pages/api, and a prerendered page to load. */
function todoSite(adapter: keyof typeof ADAPTERS) {
	const site = makeSite(undefined, {
		'astro.config.mjs': `${ADAPTERS[adapter]}\nexport default { output: 'server', adapter };\n`,
		'src/pages/index.astro': '---\nexport const prerender = true;\n---\n<html><body><h1>To-dos</h1></body></html>\n',
	});
	fs.cpSync(path.join(REPO, 'examples', 'todo-app', 'src', 'pages', 'api'), path.join(site, 'src', 'pages', 'api'), { recursive: true });
	return site;
}

/** One pass through the to-do API from a page's fetch(), ids replaced by their order of appearance. */
async function transcript(engine: EngineName, origin: string, waitForWorker: boolean) {
	const browser = await launch(engine);
	try {
		const page = await browser.newPage();
		await page.goto(`${origin}/`);
		if (waitForWorker) await page.waitFor(() => !!navigator.serviceWorker.controller);
		const steps: Array<[string, string, unknown?]> = [
			['GET', '/api/todos'],
			['POST', '/api/todos', { text: '  ' }],
			['POST', '/api/todos', { text: ' Buy milk ' }],
			['POST', '/api/todos', { text: 'Write tests' }],
			['GET', '/api/todos'],
			['PATCH', '/api/todos/{0}', { done: true }],
			['PATCH', '/api/todos/nope', { done: true }],
			['DELETE', '/api/todos/{1}'],
			['GET', '/api/todos'],
			['GET', '/api/todos/'],
			['PUT', '/api/todos', { text: 'no PUT handler' }],
		];
		const ids: string[] = [];
		const results = [];
		for (const [method, template, json] of steps) {
			const url = template.replace(/\{(\d)\}/, (_, i) => ids[Number(i)]);
			const r = await page.evaluate(
				async (m: string, u: string, body: unknown) => {
					const res = await fetch(u, {
						method: m,
						headers: body == null ? {} : { 'content-type': 'application/json' },
						body: body == null ? undefined : JSON.stringify(body),
					});
					const type = res.headers.get('content-type') ?? '';
					return { status: res.status, type: type.split(';')[0], body: type.includes('json') ? await res.json() : '' };
				},
				method,
				url,
				json,
			);
			const text = JSON.stringify(r.body).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
				if (!ids.includes(id)) ids.push(id);
				return `id${ids.indexOf(id)}`;
			});
			results.push({ request: `${method} ${template}`, ...r, body: JSON.parse(text) });
		}
		results.push({ documentCookie: await page.evaluate(() => document.cookie) });
		return results;
	} finally {
		await browser.close();
	}
}

const sites: string[] = [];
afterAll(() => {
	for (const site of sites) fs.rmSync(site, { recursive: true, force: true });
});

let throughServer: unknown;
let workerOrigin = '';
let closeStatic = async () => {};
beforeAll(async () => {
	const serverSite = todoSite('@astrojs/node');
	const workerSite = todoSite('sw-endpoints');
	sites.push(serverSite, workerSite);
	await astroBuild(serverSite);
	await astroBuild(workerSite);
	const port = await freePort();
	const server = startServer(serverSite, ['dist/server/entry.mjs'], /listening on/i, { HOST: '127.0.0.1', PORT: String(port) });
	try {
		await server.started;
		throughServer = await transcript('chromium', `http://127.0.0.1:${port}`, false);
	} finally {
		await server.stop();
	}
	const files = await serveStatic({ root: path.join(workerSite, 'dist', 'client') });
	workerOrigin = files.url;
	closeStatic = () => files.close();
});
afterAll(() => closeStatic());

it('@astrojs/node answers the to-do API as the app expects', () => {
	expect(throughServer).toMatchObject([
		{ status: 200, body: [] },
		{ status: 422, body: { error: 'Write something first.' } },
		{ status: 201, body: { id: 'id0', text: 'Buy milk', done: false } },
		{ status: 201, body: { id: 'id1', text: 'Write tests', done: false } },
		{ status: 200, body: [{ id: 'id0' }, { id: 'id1' }] },
		{ status: 200, body: { id: 'id0', done: true } },
		{ status: 404, body: { error: 'No such to-do.' } },
		{ status: 204, body: '' },
		{ status: 200, body: [{ id: 'id0', text: 'Buy milk', done: true }] },
		{ status: 200, body: [{ id: 'id0', text: 'Buy milk', done: true }] },
		{ status: 404 },
		{ documentCookie: '' },
	]);
});

it.each(ENGINES)('%s: the worker gives the same transcript from the same endpoint files', async (engine) => {
	expect(await transcript(engine, workerOrigin, true)).toEqual(throughServer);
});
