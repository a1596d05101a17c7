// The request handler: `handle(request) → Promise<Response>`, behaving as Astro 7
// serving on-demand endpoints (core/routing/handler.ts#handleRequest). It knows
// nothing of service workers, events or storage: the worker and Node mode call it.
import { AstroCookies } from './cookies.ts';
import { astroError } from './errors.js';
import type { PipelineControls } from './controls.ts';
import { notFoundPage, redirectTemplate } from './pages.ts';
import { withHeaders } from './request.ts';
import { getSetCookie, setSetCookie } from './response.ts';
import type { AstroSession, SessionConfig, SessionStore } from './session.ts';
import {
	decodePathname,
	findRoute,
	matchRoute,
	redirectDestination,
	stripBase,
	trailingSlashRedirect,
	type RouteEntry,
} from './router.ts';
import {
	PIPELINE,
	type APIContext,
	type EndpointModule,
	type MiddlewareHandler,
	type MiddlewareNext,
	type RewritePayload,
} from './types.ts';

/** The Astro version whose behaviour the handler reproduces (`context.generator`). */
export const ASTRO_VERSION = '7.3.5';

/** A route of the build's table, with the loader of its module. */
export interface ManifestRoute extends RouteEntry {
	load?: () => Promise<EndpointModule>;
}

/** The part of the project config the handler needs (Astro's option names). */
export interface HandlerConfig {
	base: string;
	trailingSlash: 'always' | 'never' | 'ignore';
	site?: string;
	output: 'static' | 'server';
	checkOrigin: boolean;
	buildFormat: 'directory' | 'file' | 'preserve';
	/** Astro's `session` option; `false` turns `context.session` off */
	session: SessionConfig | false;
}

/** Everything `createHandler` needs: the route table, config, and the optional middleware module. */
export interface HandlerOptions {
	routes: ManifestRoute[];
	config: HandlerConfig;
	middleware?: () => Promise<{ onRequest?: MiddlewareHandler }>;
	/**
	 * Astro sessions: the class and where data lives (IndexedDB in the worker,
	 * memory in Node). Absent when the build left sessions out (no source uses them).
	 */
	sessions?: { Session: typeof AstroSession; store: SessionStore };
	logger?: Pick<Console, 'error' | 'warn' | 'info' | 'debug'>;
	/** the run-time layer (`use` overrides, network rules, installed endpoints), consulted before the table */
	overrides?: PipelineControls;
}

/** What answered a request, for the request log. */
export interface Answered {
	/** routePattern, or null when nothing matched */
	route: string | null;
	/** the source file (or `use(GET /path)` for an override), or null */
	file: string | null;
	kind: 'endpoint' | 'installed' | 'override' | 'redirect' | 'not-found' | 'network-error';
	/** the route's params as the endpoint got them (none when nothing matched) */
	params?: Record<string, string | undefined>;
}

/** Per-request inputs that do not travel in the Request itself. */
export interface RenderOptions {
	/** `context.clientAddress` (default `127.0.0.1`: the page and the emulator share a machine) */
	clientAddress?: string;
	/** initial `context.locals` */
	locals?: Record<string, unknown>;
}

/** The route Astro uses when nothing matches (`DEFAULT_404_ROUTE`). */
const NOT_FOUND_ROUTE: ManifestRoute = {
	route: '/404',
	type: 'endpoint',
	component: 'sw-endpoints:404',
	pattern: '^\\/404\\/?$',
	params: [],
	prefix: '/404',
	prerender: false,
};

const NativeRequest = globalThis.Request;
const NativeResponse = globalThis.Response;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_LIKE = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
/** Responses Astro itself made empty 404/500 for, which it then reroutes to the error page. */
const REROUTE = new WeakSet<Response>();
// The 4th entry into the chain in one request (a third chained ctx.rewrite()) is a loop.
const MAX_ENTRIES = 3;

interface RequestState {
	ctx: APIContext;
	route: ManifestRoute;
	cookies: AstroCookies;
	locals: Record<string, any>;
	/** created on first use of `context.session`, shared across rewrites */
	session: { current?: AstroSession };
	/** entries into the middleware chain so far (shared across rewrites) */
	entries: { count: number };
	options: RenderOptions;
	/** `context.props` (getStaticPaths props when prerendering) */
	props?: Record<string, unknown>;
}

/** Creates the request handler for one route table and config. */
export function createHandler(options: HandlerOptions) {
	const { routes, config, overrides } = options;
	const answered = new WeakMap<Response, Answered>();
	const log = options.logger ?? console;
	const { sessions } = options;
	let sessionWarned = false;
	const site = config.site ? new URL(config.site) : undefined;
	const addSlash = config.trailingSlash === 'always' || (config.trailingSlash === 'ignore' && config.buildFormat === 'directory');
	let userMiddleware: Promise<MiddlewareHandler | undefined> | undefined;

	// The worker asks `answers()` and then `handle()` for the same URL: remember the last lookup.
	let last: { decoded: string; found: ReturnType<typeof findRoute<ManifestRoute>> } | undefined;

	/** Finds the route for a decoded pathname; prerendered routes are not served on demand. */
	function lookup(decoded: string) {
		if (last?.decoded !== decoded) last = { decoded, found: findRoute(routes, decoded, config.base) };
		return last.found;
	}

	function resolve(decoded: string, method: string): { route: ManifestRoute; params: Record<string, string | undefined> } {
		return (overrides?.active && overrides.route(method, decoded)) || lookup(decoded) || { route: NOT_FOUND_ROUTE, params: {} };
	}

	/** Whether a request for `url` reaches a route (directly or through a trailing-slash redirect). */
	function answers(url: URL): boolean {
		const decoded = decodePathname(trailingSlashRedirect(url.pathname, config.trailingSlash) ?? url.pathname);
		return decoded.ok && ((overrides?.active && overrides.claims(decoded.pathname)) || lookup(decoded.pathname) !== undefined);
	}

	function originPathnameOf(decoded: string): string {
		if (decoded === '/') return decoded;
		if (config.trailingSlash === 'never') return decoded.replace(/\/+$/, '');
		return addSlash && !decoded.endsWith('/') ? `${decoded}/` : decoded;
	}

	async function middlewareChain(): Promise<MiddlewareHandler | undefined> {
		userMiddleware ??= options.middleware
			? options.middleware().then((m) => m.onRequest)
			: Promise.resolve(undefined);
		return userMiddleware;
	}

	/** core/app/origin-check.ts: Astro's CSRF protection for unsafe methods. */
	function originCheck(ctx: APIContext): Response | undefined {
		const { request, url } = ctx;
		if (ctx.isPrerendered || SAFE_METHODS.has(request.method)) return undefined;
		const sameOrigin = request.headers.get('origin') === url.origin;
		const type = request.headers.get('content-type');
		const blocked = type === null ? !sameOrigin : !sameOrigin && FORM_LIKE.some((t) => type.toLowerCase().includes(t));
		if (!blocked) return undefined;
		return new NativeResponse(`Cross-site ${request.method} form submissions are forbidden`, { status: 403 });
	}

	/** Builds the request (and route) a rewrite payload points to (core/routing/rewrite.ts). */
	async function rewriteTarget(payload: RewritePayload, current: Request, origin: string) {
		let request: Request;
		if (payload instanceof NativeRequest) request = payload;
		else {
			if (current.bodyUsed) throw astroError('RewriteWithBodyUsed');
			const url = payload instanceof URL ? payload : new URL(payload, origin);
			const hasBody = current.method !== 'GET' && current.method !== 'HEAD' && current.body !== null;
			const body = hasBody ? await current.clone().arrayBuffer() : null;
			request = withHeaders(
				new NativeRequest(url, { method: current.method, body, signal: current.signal }),
				new Headers(current.headers),
			);
		}
		const url = new URL(request.url);
		const decoded = decodePathname(url.pathname);
		const target = decoded.ok ? resolve(decoded.pathname, request.method.toUpperCase()) : { route: NOT_FOUND_ROUTE, params: {} };
		if (decoded.ok && target.route === NOT_FOUND_ROUTE) {
			// A prerendered target is not "missing": rewriting to it is forbidden (ForbiddenRewrite).
			const stripped = stripBase(decoded.pathname, config.base);
			const any = stripped === undefined ? undefined : matchRoute(routes, stripped);
			if (any?.route.prerender) throw astroError('ForbiddenRewrite');
		}
		return { request, url, ...target };
	}

	/** Makes the state (and its context) for rendering `route`, sharing cookies, locals and the loop counter. */
	function stateFor(
		from: Omit<RequestState, 'ctx' | 'route'>,
		route: ManifestRoute,
		request: Request,
		url: URL,
		params: Record<string, string | undefined>,
		originPathname: string,
	): RequestState {
		const state = { ...from, route } as RequestState;
		state.ctx = createContext(state, request, url, params, originPathname);
		return state;
	}

	function createContext(
		state: RequestState,
		request: Request,
		url: URL,
		params: Record<string, string | undefined>,
		originPathname: string,
	): APIContext {
		const ctx: APIContext = {
			cache: disabledCache(log),
			callAction: actionsUnsupported,
			get clientAddress() {
				if (ctx.isPrerendered) throw astroError('ClientAddressNotAvailable');
				return state.options.clientAddress ?? '127.0.0.1';
			},
			cookies: state.cookies,
			csp: undefined,
			currentLocale: undefined,
			generator: `Astro v${ASTRO_VERSION}`,
			getActionResult: actionsUnsupported,
			isPrerendered: state.route.prerender,
			get locals() {
				return state.locals;
			},
			set locals(_value) {
				throw astroError('LocalsReassigned');
			},
			logger: prefixedLogger(log),
			get originPathname() {
				return originPathname;
			},
			params,
			preferredLocale: undefined,
			preferredLocaleList: undefined,
			props: state.props ?? {},
			redirect: (path: string, status = 302) => new NativeResponse(null, { status, headers: { Location: path } }),
			request,
			rewrite: async (payload: RewritePayload) => {
				const target = await rewriteTarget(payload, ctx.request, ctx.url.origin);
				return runMiddleware(stateFor(state, target.route, target.request, target.url, target.params, originPathname));
			},
			routePattern: state.route.route,
			get session() {
				if (config.session === false) return undefined;
				if (!sessions) {
					if (!sessionWarned) log.warn('[sw-endpoints] context.session is undefined: no file under src/ mentions `session`, so the build left sessions out.');
					sessionWarned = true;
					return undefined;
				}
				state.session.current ??= new sessions.Session(state.cookies, config.session, sessions.store);
				return state.session.current;
			},
			site,
			url,
			[PIPELINE]: {
				rewriteInPlace: async (c, payload) => {
					const target = await rewriteTarget(payload, c.request, c.url.origin);
					c.request = target.request;
					c.url = target.url;
					c.params = target.params;
					c.routePattern = target.route.route;
					state.route = target.route;
				},
			},
		};
		Object.defineProperty(ctx, PIPELINE, { enumerable: false });
		return ctx;
	}

	/** Calls the endpoint's handler for the context's method (runtime/server/endpoint.ts). */
	async function renderRoute(state: RequestState): Promise<Response> {
		const { ctx, route } = state;
		if (route === NOT_FOUND_ROUTE || !route.load) return notFoundPage(ctx.url.pathname);
		const mod = await route.load();
		const method = ctx.request.method.toUpperCase();
		let handler = mod[method] ?? mod.ALL;
		if (handler === undefined && method === 'HEAD' && mod.GET) handler = mod.GET;
		if (handler === undefined) {
			log.warn(
				`[sw-endpoints] No API Route handler exists for the method "${method}" for the route "${route.route}".\n` +
					`Found handlers: ${Object.keys(mod).filter((k) => /^[A-Z]+$/.test(k)).map((k) => `"${k}"`).join(', ') || 'none'}` +
					('all' in mod ? '\nOne of the exported handlers is "all" (lowercase), did you mean to export "ALL"?' : ''),
			);
			return marked(new NativeResponse(null, { status: 404 }));
		}
		if (typeof handler !== 'function') {
			log.error(`[sw-endpoints] The export "${method in mod ? method : 'ALL'}" of ${route.component} is not a function; export a handler such as \`export const ${method} = (context) => new Response('ok')\`.`);
			return marked(new NativeResponse(null, { status: 500 }));
		}
		const response: unknown = await handler.call(mod, ctx);
		if (!(response instanceof NativeResponse)) throw astroError('EndpointDidNotReturnAResponse');
		if (method !== 'HEAD') return response;
		const head = new NativeResponse(null, response);
		setSetCookie(head, getSetCookie(response));
		return head;
	}

	/** Runs origin check + user middleware around the route (core/middleware/callMiddleware.ts). */
	async function runMiddleware(state: RequestState): Promise<Response> {
		if (++state.entries.count > MAX_ENTRIES) {
			return new NativeResponse('Loop Detected', {
				status: 508,
				statusText: 'Astro detected a loop where you tried to call the rewriting logic more than four times.',
			});
		}
		const user = await middlewareChain();
		const bottom = async (payload?: RewritePayload): Promise<Response> => {
			if (payload) {
				await state.ctx[PIPELINE].rewriteInPlace(state.ctx, payload);
			}
			return renderRoute(state);
		};
		const chain = async (): Promise<Response> => {
			const blocked = config.checkOrigin && config.output === 'server' ? originCheck(state.ctx) : undefined;
			if (blocked) return blocked;
			return user ? callMiddleware(user, state.ctx, bottom) : bottom();
		};
		return chain();
	}

	/** Astro's error-page reroute for empty 404/500 responses it produced itself. */
	async function reroute(state: RequestState, response: Response): Promise<Response> {
		if (response.status !== 404 || !REROUTE.has(response)) return response;
		const { ctx } = state;
		const errorState = stateFor(state, NOT_FOUND_ROUTE, ctx.request, ctx.url, {}, ctx.originPathname);
		errorState.entries = { count: 0 };
		const page = await runMiddleware(errorState).catch(() => notFoundPage(ctx.url.pathname));
		return mergeResponses(response, page);
	}

	/** Answers one request. Never throws: errors become the response Astro would give. */
	async function handle(request: Request, renderOptions: RenderOptions = {}): Promise<Response> {
		const rawUrl = new URL(request.url);
		if (overrides?.active) {
			const { delay, fail } = overrides.conditions(request.method.toUpperCase(), rawUrl.pathname);
			if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
			// A network error is not a response: the host makes fetch() reject (Response.error() in the worker).
			if (fail) return note(NativeResponse.error(), { route: null, file: null, kind: 'network-error' });
		}
		const decoded = decodePathname(rawUrl.pathname);
		if (!decoded.ok) return note(new NativeResponse(null, { status: 400 }), { route: null, file: null, kind: 'not-found' });
		const slash = trailingSlashRedirect(rawUrl.pathname, config.trailingSlash);
		if (slash !== undefined) {
			const status = request.method === 'GET' ? 301 : 308;
			const location = slash + rawUrl.search;
			return note(new NativeResponse(redirectTemplate(status, location, request.url), { status, headers: { location } }), { route: null, file: null, kind: 'redirect' });
		}
		const url = new URL(rawUrl);
		url.pathname = decoded.pathname;
		const { route, params } = resolve(decoded.pathname, request.method.toUpperCase());
		if (route.type === 'redirect' && route.redirect) {
			const { destination, status } = route.redirect;
			const response = new NativeResponse(null, {
				status: status ?? (request.method === 'GET' ? 301 : 308),
				headers: { location: encodeURI(redirectDestination(destination, params)) },
			});
			return note(response, { route: route.route, file: route.component, kind: 'redirect', params });
		}
		const cookies = new AstroCookies(request.headers.get('cookie'));
		const base = { cookies, locals: renderOptions.locals ?? {}, session: {}, entries: { count: 0 }, options: renderOptions };
		const state = stateFor(base, route, request, url, params, originPathnameOf(decoded.pathname));
		const where = `${request.method} ${request.url} (route ${state.route.route}, ${state.route.component})`;
		const what = (): Answered => {
			const final = state.route;
			const kind = final === NOT_FOUND_ROUTE ? 'not-found' : ((final as { kind?: Answered['kind'] }).kind ?? 'endpoint');
			return final === NOT_FOUND_ROUTE ? { route: null, file: null, kind } : { route: final.route, file: final.component, kind, params: state.ctx.params };
		};
		let response: Response;
		try {
			response = await reroute(state, await runMiddleware(state));
		} catch (error) {
			log.error(`[sw-endpoints] ${where} threw:`, error);
			return note(new NativeResponse(null, { status: 500 }), what());
		}
		try {
			// Session data is written before the response leaves (core/session/handler.ts finalize).
			await state.session.current?.persist();
		} catch (error) {
			log.error(`[sw-endpoints] ${where}: the session could not be saved (storage failed, e.g. quota exceeded); nothing of it was written:`, error);
			return note(new NativeResponse(null, { status: 500 }), what());
		}
		return note(attachCookies(response, cookies, log), what());
	}

	function note(response: Response, info: Answered): Response {
		answered.set(response, info);
		return response;
	}

	/**
	 * Renders a prerendered route at build time, as Astro's build does: a GET with
	 * no headers, the getStaticPaths entry's params and props, middleware included.
	 * Errors are thrown (they fail the build) instead of becoming a 500.
	 */
	async function prerender(route: ManifestRoute, request: Request, params: Record<string, string | undefined>, props: Record<string, unknown>) {
		const url = new URL(request.url);
		const decoded = decodePathname(url.pathname);
		const pathname = decoded.ok ? decoded.pathname : url.pathname;
		url.pathname = pathname;
		const base = { cookies: new AstroCookies(null), locals: {}, session: {}, entries: { count: 0 }, options: {}, props: { ...props } };
		const state = stateFor(base, route, request, url, params, originPathnameOf(pathname));
		return reroute(state, await runMiddleware(state));
	}

	/** What answered a response `handle` returned (for the request log). */
	const describe = (response: Response): Answered | undefined => answered.get(response);

	return { handle, answers, prerender, describe };
}

function marked(response: Response): Response {
	REROUTE.add(response);
	return response;
}

/** Outermost middleware call rules (core/middleware/callMiddleware.ts). */
async function callMiddleware(
	onRequest: MiddlewareHandler,
	ctx: APIContext,
	render: (payload?: RewritePayload) => Promise<Response>,
): Promise<Response> {
	let nextCalled = false;
	let nextResult: Promise<Response> | undefined;
	const next: MiddlewareNext = (payload) => {
		nextCalled = true;
		nextResult = render(payload);
		return nextResult;
	};
	const value = await onRequest(ctx, next);
	if (value === undefined) {
		if (nextCalled && nextResult) return nextResult;
		throw astroError(nextCalled ? 'MiddlewareNotAResponse' : 'MiddlewareNoDataOrNextCalled');
	}
	if (!(value instanceof NativeResponse)) throw astroError('MiddlewareNotAResponse');
	return value;
}

/** core/errors/default-handler.ts#mergeResponses: the original's headers win over the page's. */
function mergeResponses(original: Response, page: Response): Response {
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

/** Appends the request's AstroCookies lines after the response's own (core/app/prepare-response.ts). */
function attachCookies(response: Response, cookies: AstroCookies, log: Pick<Console, 'error'>): Response {
	const own = getSetCookie(response);
	const added = cookies.consume();
	if (added.length) {
		try {
			// Throws on immutable headers (Response.redirect(), fetched responses), as in Astro → 500.
			for (const line of added) response.headers.append('set-cookie', line);
		} catch (error) {
			log.error('[sw-endpoints] cookies were set but the response has immutable headers (e.g. Response.redirect()); use context.redirect() instead:', error);
			return new NativeResponse(null, { status: 500, statusText: 'Internal Server Error' });
		}
	}
	setSetCookie(response, [...own, ...added]);
	return response;
}

function actionsUnsupported(): never {
	throw new Error('[sw-endpoints] Astro Actions are not supported; call an endpoint with fetch() instead.');
}

function prefixedLogger(log: Pick<Console, 'error' | 'warn' | 'info' | 'debug'>): APIContext['logger'] {
	return {
		info: (m) => log.info(`[sw-endpoints] ${m}`),
		warn: (m) => log.warn(`[sw-endpoints] ${m}`),
		error: (m) => log.error(`[sw-endpoints] ${m}`),
		debug: (m) => log.debug(`[sw-endpoints] ${m}`),
	};
}

let cacheWarned = false;
function disabledCache(log: Pick<Console, 'warn'>): APIContext['cache'] {
	const warn = () => {
		if (!cacheWarned) log.warn('[sw-endpoints] context.cache is disabled: route caching is not configured.');
		cacheWarned = true;
	};
	return { set: warn, invalidate: warn, enabled: false };
}
