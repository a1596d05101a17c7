// Calls the endpoint's handler for the request method: exact export, then `ALL`,
// then `GET` for a HEAD; no handler → an empty 404 Astro reroutes to its 404 page,
// a non-function export → an empty 500. Follows renderEndpoint in
// packages/astro/src/runtime/server/endpoint.ts.
import { astroError } from './errors.js';
import { NativeResponse } from './native.ts';
import { notFoundPage } from './pages.ts';
import { NOT_FOUND_ROUTE, type Logger, type ManifestRoute } from './pipeline.ts';
import { getSetCookie, setSetCookie } from './response.ts';
import type { APIContext } from './types.ts';

/** Responses Astro itself made empty 404/500 for, which it then reroutes to the error page. */
export const REROUTE = new WeakSet<Response>();

export async function renderEndpoint(ctx: APIContext, route: ManifestRoute, log: Logger): Promise<Response> {
	if (route === NOT_FOUND_ROUTE || !route.load) return notFoundPage(ctx.url.pathname);
	const mod = await route.load();
	const method = ctx.request.method.toUpperCase();
	let handler = mod[method] ?? mod.ALL;
	if (handler === undefined && method === 'HEAD' && mod.GET) handler = mod.GET;
	if (handler === undefined) {
		const found = Object.keys(mod).filter((k) => /^[A-Z]+$/.test(k));
		log.warn(
			`[sw-endpoints] No API Route handler exists for the method "${method}" for the route "${route.route}".\n` +
				`Found handlers: ${found.map((k) => `"${k}"`).join(', ') || 'none'}` +
				('all' in mod ? '\nOne of the exported handlers is "all" (lowercase), did you mean to export "ALL"?' : ''),
		);
		return marked(new NativeResponse(null, { status: 404 }));
	}
	if (typeof handler !== 'function') {
		log.error(
			`[sw-endpoints] The export "${method in mod ? method : 'ALL'}" of ${route.component} is not a function; export a handler such as \`export const ${method} = (context) => new Response('ok')\`.`,
		);
		return marked(new NativeResponse(null, { status: 500 }));
	}
	const response: unknown = await handler.call(mod, ctx);
	if (!(response instanceof NativeResponse)) throw astroError('EndpointDidNotReturnAResponse');
	if (method !== 'HEAD') return response;
	const head = new NativeResponse(null, response);
	setSetCookie(head, getSetCookie(response));
	return head;
}

function marked(response: Response): Response {
	REROUTE.add(response);
	return response;
}
