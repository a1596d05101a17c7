// The site's prerendered error pages (config `errorPages`, set by the Astro adapter):
// a 404 Astro makes itself (no handler for the method) and a thrown error are
// answered with the page's file, as the Node adapter's prerenderedErrorPageFetch
// gives it; without such a page, Astro's built-in 404 page and an empty 500.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../build/config.mjs';
import { createHandler } from '../../sw/core/handler.ts';
import type { HandlerConfig, ManifestRoute } from '../../sw/core/pipeline.ts';
import { createErrorPages } from '../../sw/core/prerendered-pages.ts';

const LOGGER = { error() {}, warn() {}, info() {}, debug() {} };
const ROUTES: ManifestRoute[] = [
	{
		route: '/api/only-get',
		type: 'endpoint',
		component: 'src/pages/api/only-get.ts',
		pattern: '^/api/only-get/?$',
		params: [],
		prefix: '/api/only-get',
		prerender: false,
		load: async () => ({ GET: ({ cookies }: any) => (cookies.set('seen', '1'), new Response('got')) }),
	} as ManifestRoute,
	{
		route: '/api/throws',
		type: 'endpoint',
		component: 'src/pages/api/throws.ts',
		pattern: '^/api/throws/?$',
		params: [],
		prefix: '/api/throws',
		prerender: false,
		load: async () => ({
			GET: () => {
				throw new Error('on purpose');
			},
		}),
	} as ManifestRoute,
];
const CONFIG: HandlerConfig = { base: '/', trailingSlash: 'ignore', output: 'server', checkOrigin: false, buildFormat: 'directory', session: false };
const FILES: Record<string, string> = { '/404.html': '<h1>our own 404</h1>', '/500.html': '<h1>our own 500</h1>' };

/** The static layer of a site with `pages` as its error pages: its files as a host serves them, and the URLs asked for. */
function staticLayer(pages: HandlerConfig['errorPages'] = {}) {
	const asked: string[] = [];
	const serve = async (request: Request) => {
		const { pathname } = new URL(request.url);
		asked.push(pathname);
		return pathname in FILES
			? new Response(FILES[pathname], { headers: { 'content-type': 'text/html', 'content-length': String(FILES[pathname]!.length) } })
			: new Response('host 404', { status: 404 });
	};
	return { asked, errorPages: createErrorPages(pages, serve, 'http://localhost') };
}

describe('prerendered error pages', () => {
	it("a method with no handler gets the site's 404 page, with the original's status and no middleware", async () => {
		const { asked, errorPages } = staticLayer({ 404: '/404.html' });
		const handler = createHandler({ routes: ROUTES, config: CONFIG, logger: LOGGER, errorPages });
		const response = await handler.handle(new Request('http://localhost/api/only-get', { method: 'DELETE' }));
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(response.headers.get('content-length')).toBeNull();
		expect(await response.text()).toBe('<h1>our own 404</h1>');
		expect(asked).toEqual(['/404.html']);
		// the route that has the method is untouched
		expect(await (await handler.handle(new Request('http://localhost/api/only-get'))).text()).toBe('got');
	});

	it("a thrown error gets the site's 500 page", async () => {
		const { errorPages } = staticLayer({ 500: '/500.html' });
		const handler = createHandler({ routes: ROUTES, config: CONFIG, logger: LOGGER, errorPages });
		const response = await handler.handle(new Request('http://localhost/api/throws'));
		expect(response.status).toBe(500);
		expect(await response.text()).toBe('<h1>our own 500</h1>');
	});

	it("without such pages: Astro's built-in 404 page and an empty 500; a page the host lacks: an empty answer of the status", async () => {
		const { asked, errorPages } = staticLayer();
		const plain = createHandler({ routes: ROUTES, config: CONFIG, logger: LOGGER, errorPages });
		const notFound = await plain.handle(new Request('http://localhost/api/only-get', { method: 'DELETE' }));
		expect(notFound.status).toBe(404);
		expect(await notFound.text()).toContain('404');
		const thrown = await plain.handle(new Request('http://localhost/api/throws'));
		expect([thrown.status, await thrown.text()]).toEqual([500, '']);
		expect(asked).toEqual([]);
		const missing = createHandler({ routes: ROUTES, config: CONFIG, logger: LOGGER, errorPages: staticLayer({ 500: '/gone.html' }).errorPages });
		const gone = await missing.handle(new Request('http://localhost/api/throws'));
		expect(gone.status).toBe(500);
	});
});

describe('the errorPages option', () => {
	it('takes URL paths for 404 and 500, and says what it takes otherwise', () => {
		expect(resolveConfig({ errorPages: { 404: '/404.html' } }).errorPages).toEqual({ 404: '/404.html' });
		expect(() => resolveConfig({ errorPages: { 403: '/403.html' } })).toThrow(/errorPages maps 404 and 500 to URL paths of prerendered pages/);
		expect(() => resolveConfig({ errorPages: { 404: '404.html' } })).toThrow(/got \{"404":"404.html"\}/);
	});
});
