// The request handler: `handle(request) → Promise<Response>`, behaving as Astro 7
// serving on-demand endpoints. It knows nothing of service workers, events or
// storage: the worker and Node mode call it. This file is the pipeline, in the
// order of AstroHandler#handle (packages/astro/src/core/routing/handler.ts);
// each step that follows an Astro file lives in a file of its own:
//   request bounds (ours: limits.ts) → decode, trailing slash (router.ts) → controls (ours: controls.ts) → match (pipeline.ts)
//   → config redirects → render.ts: origin check (origin-check.ts) → middleware
//   chain (astro-middleware.ts, call-middleware.ts) → dispatch (endpoint.ts) →
//   rewrites (rewrite.ts, context.ts) → error reroute (error-pages.ts) → session
//   and cookies.
import { inTime, withinLimits } from './limits.ts';
import { NativeResponse } from './native.ts';
import { redirectTemplate } from './pages.ts';
import { createPipeline, type HandlerOptions, type Pipeline, type RenderOptions } from './pipeline.ts';
import { render } from './render.ts';
import { withHeaders } from './request.ts';
import { getSetCookie, setSetCookie } from './response.ts';
import { decodePathname, redirectDestination, trailingSlashRedirect } from './router.ts';

export type { Answered, HandlerConfig, HandlerOptions, ManifestRoute, RenderOptions } from './pipeline.ts';

/** Creates the request handler for one route table and config. */
export function createHandler(options: HandlerOptions) {
	return handlerFor(createPipeline(options));
}

/** The handler over a pipeline (the build adds `prerender` on the same one: prerender.ts). */
export function handlerFor(pipeline: Pipeline) {
	const { config, controls } = pipeline;

	/** `to` (the same response with its body bounded in time) answered as `from` was, with its Set-Cookie lines. */
	function keepAnswered(from: Response, to: Response): Response {
		setSetCookie(to, getSetCookie(from));
		const answered = pipeline.describe(from);
		return answered ? pipeline.note(to, answered) : to;
	}

	/** Whether a request for `url` reaches a route (directly or through a trailing-slash redirect). */
	function answers(url: URL): boolean {
		const decoded = decodePathname(trailingSlashRedirect(url.pathname, config.trailingSlash) ?? url.pathname);
		return decoded.ok && ((controls?.active && controls.claims(decoded.pathname)) || pipeline.lookup(decoded.pathname, decoded.uncollapsed) !== undefined);
	}

	/**
	 * Answers one request. Never throws: errors become the response Astro would give.
	 * `headers`: the header list the server sees, where it is not `incoming`'s own (a
	 * browser's Cookie and Origin); the request is then made once, with its body.
	 */
	async function handle(incoming: Request, renderOptions: RenderOptions = {}, headers?: Headers): Promise<Response> {
		const rawUrl = new URL(incoming.url);
		const bounded = config.limits
			? await withinLimits(incoming, rawUrl, config.limits, headers)
			: { request: headers ? withHeaders(incoming, headers) : incoming };
		if (bounded.refused) {
			pipeline.log.warn(`[sw-endpoints] ${incoming.method} ${rawUrl.pathname}: ${bounded.why}`);
			return pipeline.note(bounded.refused, { route: null, file: null, kind: 'refused' });
		}
		const { request } = bounded;
		if (controls?.active) {
			const { delay, fail } = controls.conditions(request.method.toUpperCase(), rawUrl.pathname);
			if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
			// A network error is not a response: the host makes fetch() reject (Response.error() in the worker).
			if (fail) return pipeline.note(NativeResponse.error(), { route: null, file: null, kind: 'network-error' });
		}
		const decoded = decodePathname(rawUrl.pathname);
		if (!decoded.ok) return pipeline.note(new NativeResponse(null, { status: 400 }), { route: null, file: null, kind: 'not-found' });
		const slash = trailingSlashRedirect(rawUrl.pathname, config.trailingSlash);
		if (slash !== undefined) {
			const status = request.method === 'GET' ? 301 : 308;
			const location = slash + rawUrl.search;
			const response = new NativeResponse(redirectTemplate(status, location, request.url), { status, headers: { location } });
			return pipeline.note(response, { route: null, file: null, kind: 'redirect' });
		}
		const url = new URL(rawUrl);
		url.pathname = decoded.pathname;
		const match = pipeline.resolve(decoded.pathname, request.method.toUpperCase(), decoded.uncollapsed);
		const { route, params } = match;
		// Config redirects (packages/astro/src/core/redirects/render.ts): no middleware runs.
		if (route.type === 'redirect' && route.redirect) {
			const { destination, status } = route.redirect;
			const response = new NativeResponse(null, {
				status: status ?? (request.method === 'GET' ? 301 : 308),
				headers: { location: encodeURI(redirectDestination(destination, params)) },
			});
			return pipeline.note(response, { route: route.route, file: route.component, kind: 'redirect', params });
		}
		const rendered = render(pipeline, request, url, match, pipeline.originPathnameOf(decoded.pathname), renderOptions);
		const what = `${request.method} ${request.url} (route ${route.route}, ${route.component})`;
		return config.limits ? inTime(rendered, what, config.limits, pipeline.log, keepAnswered) : rendered;
	}

	return { handle, answers, describe: pipeline.describe };
}
