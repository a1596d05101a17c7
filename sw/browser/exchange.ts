// One request as a browser in front of a server makes it: the Cookie header from
// the jar, the Origin header, and the response's Set-Cookie lines stored before
// the response is handed back. The worker and Node's browser mode both use it.
import type { RequestSite } from './cookie-jar.ts';
import type { StateExchange } from './locals-state.ts';
import type { PageCookies } from './state.ts';
import type { RenderOptions } from '../core/handler.ts';
import { getSetCookie } from '../core/response.ts';

export interface BrowserState {
	begin(url: URL, site: RequestSite, page?: PageCookies): Promise<StateExchange>;
}

export interface RequestHandler {
	/** `headers`: the header list the server sees, in place of `request`'s own. */
	handle(request: Request, options?: RenderOptions, headers?: Headers): Promise<Response>;
}

/**
 * Answers `request` through `handler` with the browser's cookies; `origin` is the
 * Origin header the browser would add (null: none). The response leaves only once
 * its cookies are stored (no lost writes).
 */
export async function browserExchange(
	handler: RequestHandler,
	state: BrowserState,
	request: Request,
	options: { site: RequestSite; origin: string | null; page?: PageCookies; render?: RenderOptions },
): Promise<Response> {
	const headers = new Headers(request.headers);
	if (options.origin && !headers.has('origin')) headers.set('origin', options.origin);
	const browser = await state.begin(new URL(request.url), options.site, options.page);
	if (browser.cookie) headers.set('cookie', browser.cookie);
	const response = await handler.handle(request, { ...options.render, locals: browser.locals }, headers);
	await browser.finish(getSetCookie(response));
	return response;
}
