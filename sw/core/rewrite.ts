// Where a rewrite goes: the request it makes (a copy of the current one with the
// new URL, or the Request given) and the route it reaches. Follows copyRequest in
// packages/astro/src/core/routing/rewrite.ts and the target checks of
// Rewrites#execute in packages/astro/src/core/rewrites/handler.ts.
import { astroError } from './errors.js';
import { NativeRequest } from './native.ts';
import { NOT_FOUND_ROUTE, type Pipeline } from './pipeline.ts';
import { withHeaders } from './request.ts';
import { decodePathname, matchRoute, stripBase } from './router.ts';
import type { RewritePayload } from './types.ts';

/** The request and route a rewrite payload points to; throws Astro's errors for a used body or a prerendered target. */
export async function rewriteTarget(pipeline: Pipeline, payload: RewritePayload, current: Request, origin: string) {
	let request: Request;
	if (payload instanceof NativeRequest) request = payload;
	else {
		if (current.bodyUsed) throw astroError('RewriteWithBodyUsed');
		const url = payload instanceof URL ? payload : new URL(payload, origin);
		const hasBody = current.method !== 'GET' && current.method !== 'HEAD' && current.body !== null;
		const body = hasBody ? await current.clone().arrayBuffer() : null;
		request = withHeaders(new NativeRequest(url, { method: current.method, body, signal: current.signal }), new Headers(current.headers));
	}
	const url = new URL(request.url);
	const decoded = decodePathname(url.pathname);
	const target = decoded.ok ? pipeline.resolve(decoded.pathname, request.method.toUpperCase()) : { route: NOT_FOUND_ROUTE, params: {} };
	if (decoded.ok && target.route === NOT_FOUND_ROUTE) {
		// A prerendered target is not "missing": rewriting to it is forbidden (ForbiddenRewrite).
		const stripped = stripBase(decoded.pathname, pipeline.config.base);
		const any = stripped === undefined ? undefined : matchRoute(pipeline.routes, stripped);
		if (any?.route.prerender) throw astroError('ForbiddenRewrite');
	}
	return { request, url, ...target };
}
