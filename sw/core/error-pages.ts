// Astro's error-page reroute: an empty 404 it produced itself (no handler for
// the method) is rendered again as the 404 route, through the middleware, and
// merged with the original; where the site's 404 page is prerendered, its file
// instead (prerendered-pages.ts). Follows DefaultErrorHandler#renderError and
// mergeResponses in packages/astro/src/core/errors/default-handler.ts.
import { runMiddleware } from './astro-middleware.ts';
import { stateFor } from './context.ts';
import { REROUTE } from './endpoint.ts';
import { NativeResponse } from './native.ts';
import { notFoundPage } from './pages.ts';
import { NOT_FOUND_ROUTE, type Pipeline, type RequestState } from './pipeline.ts';
import { getSetCookie, setSetCookie } from './response.ts';

/** The error page for a response Astro marked for rerouting, else the response itself. */
export async function reroute(pipeline: Pipeline, state: RequestState, response: Response): Promise<Response> {
	if (response.status !== 404 || !REROUTE.has(response)) return response;
	const prerendered = await pipeline.errorPages?.(404, response);
	if (prerendered) return prerendered;
	const { ctx } = state;
	const errorState = stateFor(pipeline, state, NOT_FOUND_ROUTE, ctx.request, ctx.url, {});
	errorState.entries = { count: 0 };
	const page = await runMiddleware(pipeline, errorState).catch(() => notFoundPage(ctx.url.pathname));
	return mergeResponses(response, page);
}

/** The original's headers win over the page's; Set-Cookie lines of both are kept. */
export function mergeResponses(original: Response, page: Response): Response {
	const headers = new Headers();
	for (const [k, v] of page.headers) if (k !== 'set-cookie') headers.set(k, v);
	for (const [k, v] of original.headers) {
		if (k === 'content-type' || k === 'content-length' || k === 'transfer-encoding' || k === 'set-cookie') continue;
		headers.set(k, v);
	}
	const lines = [...getSetCookie(original), ...getSetCookie(page)];
	for (const line of lines) headers.append('set-cookie', line);
	const merged = new NativeResponse(page.body, {
		status: original.status === 200 ? page.status : original.status,
		statusText: original.statusText || page.statusText,
		headers,
	});
	setSetCookie(merged, lines);
	return merged;
}
