// One request through a matched route: the middleware chain and endpoint, the
// error-page reroute, then the session written and the cookies attached. A
// thrown error becomes an empty 500 (the site's prerendered 500 page, where it
// has one). Follows AstroHandler#render in
// packages/astro/src/core/routing/handler.ts, with prepareResponse
// (packages/astro/src/core/app/prepare-response.ts) and the session's finalize
// (packages/astro/src/core/session/handler.ts).
import { runMiddleware } from './astro-middleware.ts';
import { stateFor } from './context.ts';
import { AstroCookies } from './cookies.ts';
import { reroute } from './error-pages.ts';
import { NativeResponse } from './native.ts';
import { NOT_FOUND_ROUTE, type Answered, type Logger, type ManifestRoute, type Pipeline, type RenderOptions, type RequestState } from './pipeline.ts';
import { getSetCookie, setSetCookie } from './response.ts';
import type { RouteMatch } from './router.ts';

/** Renders `match` for `request` (`url` holds the decoded pathname). Never throws. */
export async function render(
	pipeline: Pipeline,
	request: Request,
	url: URL,
	{ route, params }: RouteMatch<ManifestRoute>,
	originPathname: string,
	options: RenderOptions,
): Promise<Response> {
	const { log } = pipeline;
	const cookies = new AstroCookies(request.headers.get('cookie'));
	const shared = { cookies, locals: options.locals ?? {}, session: {}, entries: { count: 0 }, options, originPathname };
	const state = stateFor(pipeline, shared, route, request, url, params);
	const where = `${request.method} ${request.url} (route ${state.route.route}, ${state.route.component})`;
	let response: Response;
	try {
		response = await reroute(pipeline, state, await runMiddleware(pipeline, state));
	} catch (error) {
		log.error(`[sw-endpoints] ${where} threw:`, error);
		// The site's prerendered 500 page where it has one (Astro's renderError with status 500), else an empty 500.
		const page = await pipeline.errorPages?.(500).catch(() => undefined);
		return pipeline.note(page ?? new NativeResponse(null, { status: 500 }), answeredBy(state));
	}
	try {
		// Session data is written before the response leaves.
		await state.session.current?.persist();
	} catch (error) {
		log.error(
			`[sw-endpoints] ${where}: the session could not be saved (too large, or storage failed, e.g. quota exceeded); nothing of this request's changes was written:`,
			error,
		);
		return pipeline.note(new NativeResponse(null, { status: 500 }), answeredBy(state));
	}
	return pipeline.note(attachCookies(response, cookies, log), answeredBy(state));
}

/** The route that answered in the end (after rewrites), for the request log. */
function answeredBy(state: RequestState): Answered {
	const final = state.route;
	const kind = final === NOT_FOUND_ROUTE ? 'not-found' : ((final as { kind?: Answered['kind'] }).kind ?? 'endpoint');
	return final === NOT_FOUND_ROUTE ? { route: null, file: null, kind } : { route: final.route, file: final.component, kind, params: state.ctx.params };
}

/** Appends the request's AstroCookies lines after the response's own. */
function attachCookies(response: Response, cookies: AstroCookies, log: Logger): Response {
	const own = getSetCookie(response);
	const added = cookies.consume();
	if (added.length) {
		try {
			// Throws on immutable headers (Response.redirect(), fetched responses), as in Astro, whose
			// prepareResponse runs outside render's try: the error leaves app.render() and the Node adapter
			// answers it (@astrojs/node serve-app.js: status 500, body `Internal Server Error`, no content
			// type, no Set-Cookie; verified cookies/set-then-response-redirect).
			for (const line of added) response.headers.append('set-cookie', line);
		} catch (error) {
			log.error('[sw-endpoints] cookies were set but the response has immutable headers (e.g. Response.redirect()); use context.redirect() instead:', error);
			return new NativeResponse(new TextEncoder().encode('Internal Server Error'), { status: 500, statusText: 'Internal Server Error' });
		}
	}
	setSetCookie(response, [...own, ...added]);
	return response;
}
