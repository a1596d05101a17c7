// The Astro adapter's own logic without Astro: which routes it leaves to the worker,
// the config it maps, what it refuses, and the build that leaves the rest to Astro.
// tests/astro runs it inside real Astro builds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../build.mjs';
import { checkBuildable, errorPages, onDemandEndpoints, siteBase, siteFiles, workerConfig } from '../../integrations/astro.mjs';

type Route = Parameters<typeof onDemandEndpoints>[0][number];
const route = (entrypoint: string, pattern: string, type: Route['type'], isPrerendered: boolean, origin: Route['origin'] = 'project'): Route => ({
	entrypoint,
	pattern,
	type,
	isPrerendered,
	origin,
});

const ROUTES: Route[] = [
	route('node_modules/astro/dist/assets/endpoint/generic.js', '/_image', 'endpoint', false, 'internal'),
	route('src/pages/api/live.ts', '/api/live', 'endpoint', false),
	route('src/pages/api/list.json.ts', '/api/list.json', 'endpoint', true),
	route('src/pages/index.astro', '/', 'page', true),
	route('src/pages/old', '/old', 'redirect', false),
	route('src/pages/older', '/older', 'redirect', true),
];

function config(root: string, overrides: Record<string, unknown> = {}) {
	return {
		root: pathToFileURL(`${root}/`),
		srcDir: pathToFileURL(`${root}/src/`),
		publicDir: pathToFileURL(`${root}/public/`),
		base: '/docs',
		site: 'https://example.com',
		trailingSlash: 'never' as const,
		redirects: { '/old': '/api/live', '/older': '/api/live' },
		security: { checkOrigin: false },
		build: { format: 'file' as const, assets: '_astro' },
		session: { driver: {}, cookie: { name: 'sid' }, ttl: 60 },
		...overrides,
	};
}

describe('the routes left to the worker', () => {
	it('are the project endpoints Astro answers on demand', () => {
		expect(onDemandEndpoints(ROUTES)).toEqual(['src/pages/api/live.ts']);
	});

	it("map Astro's config onto sw-endpoints', with the on-demand redirects only", () => {
		expect(workerConfig(config('/site'), ROUTES)).toEqual({
			output: 'server',
			site: 'https://example.com',
			base: '/docs',
			trailingSlash: 'never',
			redirects: { '/old': '/api/live' },
			security: { checkOrigin: false },
			build: { format: 'file' },
			session: { cookie: { name: 'sid' }, ttl: 60 },
		});
		expect(workerConfig(config('/site', { session: false }), ROUTES).session).toBe(false);
		expect(workerConfig(config('/site', { session: undefined }), ROUTES).session).toEqual({ cookie: undefined, ttl: undefined });
	});

	it('base always has both slashes for the worker URL and scope', () => {
		expect([siteBase('/'), siteBase('/docs'), siteBase('/docs/'), siteBase('docs')]).toEqual(['/', '/docs/', '/docs/', '/docs/']);
	});
});

describe('what the adapter refuses', () => {
	const thrown = (fn: () => void) => {
		try {
			fn();
		} catch (error) {
			return error as { code: string; message: string };
		}
		throw new Error('did not throw');
	};

	it('pages rendered on demand, each named with its route', () => {
		const error = thrown(() =>
			checkBuildable(config('/site'), [...ROUTES, route('src/pages/live.astro', '/live', 'page', false), route('src/pages/a.md', '/a', 'page', false)]),
		);
		expect(error.code).toBe('OnDemandPage');
		expect(error.message).toContain('src/pages/live.astro (/live)');
		expect(error.message).toContain('src/pages/a.md (/a)');
	});

	it('nothing when every page is prerendered', () => {
		expect(() => checkBuildable(config('/site'), ROUTES)).not.toThrow();
	});

	it('Astro actions', () => {
		const actions = route('node_modules/astro/dist/actions/runtime/entrypoints/route.js', '/_actions/[...path]', 'endpoint', false, 'internal');
		expect(thrown(() => checkBuildable(config('/site'), [...ROUTES, actions])).code).toBe('ActionsUnsupported');
	});

	it('a srcDir other than src/', () => {
		expect(thrown(() => checkBuildable(config('/site', { srcDir: pathToFileURL('/site/app/') }), ROUTES)).code).toBe('UnsupportedSrcDir');
	});
});

describe('the build for a host that prerenders by itself (onDemand)', () => {
	it('answers only the named files, all on demand, prerenders nothing and says nothing of the pages', async () => {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-astro-unit-'));
		const files: Record<string, string> = {
			'src/pages/api/live.ts': 'export const prerender = true;\nexport const GET = () => new Response("live");\n',
			'src/pages/api/list.json.ts': 'export const GET = () => Response.json([]);\n',
			'src/pages/index.astro': '<h1>home</h1>\n',
		};
		for (const [name, text] of Object.entries(files)) {
			fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
			fs.writeFileSync(path.join(root, name), text);
		}
		try {
			const result = await compile({ root, onDemand: ['src/pages/api/live.ts'], publicDir: false, client: false, logger: null, config: { output: 'static' } });
			expect(result.routes.map((r) => [r.route, r.prerender])).toEqual([['/api/live', false]]);
			expect(result.prerendered).toEqual([]);
			expect(result.warnings).toEqual([]);
			expect(Object.keys(result.outputs).sort()).toEqual(['sw.js', 'sw.js.map']);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
});

describe("Astro's files in the worker's precache", () => {
	it('scripts and styles before the worker takes over; pages, endpoints, images after; no source maps', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-astro-files-'));
		for (const name of [
			'index.html',
			'docs/index.html',
			'api/list.json',
			'_astro/page.abc.js',
			'_astro/page.abc.js.map',
			'_astro/style.def.css',
			'_astro/photo.123.webp',
		]) {
			fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
			fs.writeFileSync(path.join(dir, name), name);
		}
		try {
			const { shell, background } = siteFiles(dir, '/_astro');
			expect(shell.map((f) => f.url).sort()).toEqual(['_astro/page.abc.js', '_astro/style.def.css']);
			expect(background.map((f) => f.url).sort()).toEqual(['_astro/photo.123.webp', 'api/list.json', 'docs/index.html', 'index.html']);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('errorPages', () => {
	it('names the prerendered 404 and 500 pages Astro wrote, under the base, as the Node adapter finds them (404.html or 404/index.html)', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-astro-error-pages-'));
		for (const name of ['404.html', '500/index.html']) {
			fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
			fs.writeFileSync(path.join(dir, name), name);
		}
		try {
			const pages = [route('src/pages/404.astro', '/404', 'page', true), route('src/pages/500.astro', '/500', 'page', true)];
			expect(errorPages(pages, dir, '/docs')).toEqual({ 404: '/docs/404.html', 500: '/docs/500/index.html' });
			// a page Astro renders on demand has no file (and the build refuses it); no page, no entry
			expect(errorPages([route('src/pages/404.astro', '/404', 'page', false)], dir, '/')).toEqual({});
			expect(errorPages(ROUTES, dir, '/')).toEqual({});
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
