// Build-time rendering of a prerendered route, as Astro's build does
// (packages/astro/src/core/build/generate.ts): a GET with no headers, the
// getStaticPaths entry's params and props, middleware included; errors are
// thrown (they fail the build) instead of becoming a 500. Only Node mode
// (sw/node/entry.ts, for build/prerender.mjs) imports this: the worker has no
// use for it, so it stays out of sw.js.
import { runMiddleware } from './astro-middleware.ts';
import { stateFor } from './context.ts';
import { AstroCookies } from './cookies.ts';
import { reroute } from './error-pages.ts';
import { handlerFor } from './handler.ts';
import { createPipeline, type HandlerOptions, type ManifestRoute, type Pipeline } from './pipeline.ts';
import { decodePathname } from './router.ts';

/** `createHandler` plus `prerender`, on one pipeline (one middleware load, one lookup cache). */
export function createBuildHandler(options: HandlerOptions) {
	const pipeline = createPipeline(options);
	return {
		...handlerFor(pipeline),
		prerender: (route: ManifestRoute, request: Request, params: Record<string, string | undefined>, props: Record<string, unknown>) =>
			prerender(pipeline, route, request, params, props),
	};
}

async function prerender(
	pipeline: Pipeline,
	route: ManifestRoute,
	request: Request,
	params: Record<string, string | undefined>,
	props: Record<string, unknown>,
): Promise<Response> {
	const url = new URL(request.url);
	const decoded = decodePathname(url.pathname);
	const pathname = decoded.ok ? decoded.pathname : url.pathname;
	url.pathname = pathname;
	const shared = {
		cookies: new AstroCookies(null),
		locals: {},
		session: {},
		entries: { count: 0 },
		options: {},
		props: { ...props },
		originPathname: pipeline.originPathnameOf(pathname),
	};
	const state = stateFor(pipeline, shared, route, request, url, params);
	return reroute(pipeline, state, await runMiddleware(pipeline, state));
}
