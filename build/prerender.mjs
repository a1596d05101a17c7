// Build-time prerendering, as `astro build` does for prerendered endpoints
// (core/build/generate.ts, core/routing/validation.ts, core/routing/generator.ts):
// getStaticPaths is called once per route, each path is requested with a bare GET
// in Node, and only the body is kept as a file named after the path.
import { escapeHtml } from '../sw/core/escape-html.js';
import { SwEndpointsError } from '../sw/core/errors.js';

/** @typedef {{ path: string, body: Uint8Array<ArrayBuffer> }} PrerenderedFile */
/**
 * `info` for a path that writes no file; the handler gets it too (as `context.logger`
 * and for errors), so endpoints run at build time log where the build does.
 * @typedef {Pick<Console, 'info' | 'warn' | 'error' | 'debug'>} PrerenderLogger
 */
/** @typedef {import('../sw/core/handler.ts').ManifestRoute} ManifestRoute */
/**
 * What prerendering uses of the Node bundle (sw/node/entry.ts, whose type build may not import).
 * @typedef {object} PrerenderBundle
 * @property {(options: { logger: PrerenderLogger }) => { prerender(route: ManifestRoute, request: Request, params: Record<string, string | undefined>, props: Record<string, unknown>): Promise<Response> }} create
 * @property {(component: string) => { entry: ManifestRoute, module: Promise<import('../sw/core/types.ts').EndpointModule> }} loadRoute
 */

/**
 * Fills a route's segments with params into its path (core/routing/generator.ts):
 * values are normalize()d, `#` and `?` escaped, slashes around them trimmed.
 * @param {import('./routes.mjs').RoutePart[][]} segments
 * @param {Record<string, string | undefined>} params
 */
export function generatePath(segments, params) {
	const parts = segments.map((segment) =>
		segment
			.map((part) => {
				if (!part.dynamic) return part.content;
				const value = params[part.content.replace(/^\.\.\./, '')];
				if (value === undefined) return '';
				// stringifyParams trims every value, not only rest values
				return value
					.normalize()
					.replace(/#/g, '%23')
					.replace(/\?/g, '%3F')
					.replace(/^\/+|\/+$/g, '');
			})
			.join(''),
	);
	return `/${parts.filter((p) => p !== '').join('/')}`;
}

/**
 * Checks one getStaticPaths result (Astro 7's rules) and returns its entries.
 * @param {unknown} result
 * @param {import('./routes.mjs').RouteData} route
 */
export function validateStaticPaths(result, route) {
	/** @type {(code: string, message: string) => never} */
	const fail = (code, message) => {
		throw new SwEndpointsError(code, `${route.component}: ${message}`, { file: route.file });
	};
	if (!Array.isArray(result)) {
		fail('InvalidGetStaticPathsReturn', `getStaticPaths() must return an array, got ${describe(result)}; return [{ params: { ... } }, ...]`);
	}
	const spreads = new Set(
		route.segments
			.flat()
			.filter((p) => p.spread)
			.map((p) => p.content.slice(3)),
	);
	// The param that is the whole last segment (`[slug].ts`, `[...slug].ts`): left undefined,
	// the path would collide with the folder (render/params-and-props.ts#validatePrerenderEndpointCollision).
	const last = route.segments.at(-1) ?? [];
	const lastOnlyParam = last.length === 1 && last[0].dynamic ? last[0].content.replace(/^\.\.\./, '') : undefined;
	return /** @type {unknown[]} */ (result).map((entry, i) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			fail('InvalidGetStaticPathsEntry', `getStaticPaths() entry ${i} must be an object like { params: { ... } }, got ${describe(entry)}`);
		}
		const { params, props } = /** @type {{ params?: unknown, props?: unknown }} */ (entry);
		if (!params || typeof params !== 'object' || Object.keys(params).length === 0) {
			fail('GetStaticPathsExpectedParams', `getStaticPaths() entry ${i} needs a non-empty params object, e.g. { params: { ${route.params[0] ?? 'id'}: 'a' } }`);
		}
		for (const name of route.params) {
			const value = /** @type {Record<string, unknown>} */ (params)[name];
			if (value === undefined) {
				if (!spreads.has(name)) {
					fail('GetStaticPathsInvalidRouteParam', `getStaticPaths() entry ${i} leaves param "${name}" undefined; only a rest param may be undefined`);
				}
				if (name === lastOnlyParam) {
					fail(
						'PrerenderDynamicEndpointPathCollide',
						`getStaticPaths() entry ${i} leaves param "${name}" undefined, so its path would collide with the folder; drop that entry or rename the file to [...${name}].json.ts`,
					);
				}
			} else if (typeof value !== 'string') {
				fail(
					'GetStaticPathsInvalidRouteParam',
					`getStaticPaths() param "${name}" of entry ${i}: expected a string or undefined, received \`${typeof value}\`; write String(value)`,
				);
			}
		}
		return {
			params: /** @type {Record<string, string | undefined>} */ (params),
			props: props && typeof props === 'object' ? /** @type {Record<string, unknown>} */ (props) : {},
		};
	});
}

/** @param {unknown} v */
function describe(v) {
	return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/**
 * Prerenders every prerendered endpoint of the project through the Node bundle.
 * @param {{ routes: import('./routes.mjs').RouteData[], config: Pick<import('./config.mjs').ResolvedConfig, 'site' | 'base'> }} project
 * @param {PrerenderBundle} mod
 * @param {PrerenderLogger} logger
 * @returns {Promise<PrerenderedFile[]>}
 */
export async function prerenderRoutes(project, mod, logger) {
	const handler = mod.create({ logger });
	const origin = project.config.site ? new URL(project.config.site).origin : 'http://localhost';
	/** @type {Map<string, { file: PrerenderedFile, component: string }>} */
	const files = new Map();
	for (const route of project.routes) {
		if (route.type !== 'endpoint' || !route.prerender) continue;
		/** @type {(code: string, message: string, cause?: unknown) => never} */
		const fail = (code, message, cause) => {
			throw new SwEndpointsError(code, `${route.component}: ${message}`, { file: route.file, cause });
		};
		const { entry, module: loading } = mod.loadRoute(route.component);
		let module;
		try {
			module = await loading;
		} catch (error) {
			fail('PrerenderFailed', `the module threw while loading: ${errorText(error)}`, error);
		}
		/** @type {Array<{ params: Record<string, string | undefined>, props: Record<string, unknown> }>} */
		let entries = [{ params: {}, props: {} }];
		if (route.params.length) {
			if (typeof module.getStaticPaths !== 'function') {
				fail(
					'GetStaticPathsRequired',
					'a prerendered dynamic route needs `export const getStaticPaths = () => [{ params: { ... } }]` (or `export const prerender = false`)',
				);
			}
			let result;
			try {
				result = await module.getStaticPaths({ paginate: paginateUnsupported, routePattern: route.route });
			} catch (error) {
				fail('PrerenderFailed', `getStaticPaths() threw: ${errorText(error)}`, error);
			}
			entries = validateStaticPaths(result, route);
		}
		for (const { params, props } of entries) {
			const pathname = route.params.length ? generatePath(route.segments, params) : (route.pathname ?? '/');
			// The request URL carries `base`, as at run time; the file path does not.
			const base = project.config.base === '/' ? '' : project.config.base;
			const request = new Request(new URL(`${base}${pathname}`, origin));
			/** @type {Uint8Array<ArrayBuffer> | null} */
			let body = null;
			try {
				body = await bodyOf(await handler.prerender(entry, request, params, props), pathname, project.config.site);
			} catch (error) {
				fail('PrerenderFailed', `GET ${pathname} threw while prerendering: ${errorText(error)}`, error);
			}
			if (body === null) {
				logger.info(`[sw-endpoints] ${pathname}: file not created, response body was empty`);
				continue;
			}
			const file = pathname.replace(/^\/+/, '');
			const previous = files.get(file);
			if (previous) {
				fail('PrerenderPathCollision', `${pathname} is emitted twice (also by ${previous.component}); give each path its own params`);
			}
			files.set(file, { file: { path: file, body }, component: route.component });
		}
	}
	return [...files.values()].map((f) => f.file).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * What Astro writes for a response: its body bytes; a meta-refresh page for a
 * redirect (newlines removed as compressHTML does); nothing for a null body.
 * @param {Response} response
 * @param {string} pathname
 * @param {string | undefined} site
 */
async function bodyOf(response, pathname, site) {
	if (response.status >= 300 && response.status < 400) {
		const location = response.headers.get('location');
		if (location === null) throw new Error(`a ${response.status} redirect needs a Location header (use context.redirect(path))`);
		// generate.ts: absolute only with `site`, else the Location as written
		// 3xx.ts escapes what it shows (`?a=1&b=2` as `?a=1&amp;b=2`; verified prerender/static-redirect-page-query).
		const absolute = escapeHtml(site ? new URL(location, site).href : location);
		const to = escapeHtml(location);
		const html = `<!doctype html><title>Redirecting to: ${to}</title><meta http-equiv="refresh" content="${response.status === 302 ? 2 : 0};url=${to}"><meta name="robots" content="noindex"><link rel="canonical" href="${absolute}"><body>\t<a href="${to}">Redirecting from <code>${escapeHtml(pathname)}</code> to <code>${to}</code></a></body>`;
		return new TextEncoder().encode(html);
	}
	if (response.body === null) return null;
	return new Uint8Array(await response.arrayBuffer());
}

/** @param {unknown} error */
function errorText(error) {
	return error instanceof Error ? error.message : String(error);
}

function paginateUnsupported() {
	throw new Error('paginate() is not supported by sw-endpoints; return the pages from getStaticPaths yourself');
}
