// The `APIContext` endpoints and middleware receive, built for one request
// state; `rewrite()` renders another route with the same cookies, locals,
// session and loop counter. Follows FetchState#getAPIContext in
// packages/astro/src/core/fetch/fetch-state.ts (and its `rewrite`, which runs
// packages/astro/src/core/rewrites/handler.ts); `context.session` as
// provideSession in packages/astro/src/core/session/handler.ts makes it.
import { runMiddleware } from './astro-middleware.ts';
import { astroError } from './errors.js';
import { NativeResponse } from './native.ts';
import type { Logger, ManifestRoute, Pipeline, RequestState, SharedState } from './pipeline.ts';
import { rewriteTarget } from './rewrite.ts';
import type { AstroSession } from './session.ts';
import { PIPELINE, type APIContext, type RewritePayload } from './types.ts';

/** The Astro version whose behaviour the handler reproduces (`context.generator`). */
export const ASTRO_VERSION = '7.3.5';

/** Makes the state (and its context) for rendering `route`, sharing cookies, locals, session and the loop counter with `from`. */
export function stateFor(
	pipeline: Pipeline,
	from: SharedState,
	route: ManifestRoute,
	request: Request,
	url: URL,
	params: Record<string, string | undefined>,
): RequestState {
	const state = { ...from, route } as RequestState;
	state.ctx = createContext(pipeline, state, request, url, params);
	return state;
}

function createContext(pipeline: Pipeline, state: RequestState, request: Request, url: URL, params: Record<string, string | undefined>): APIContext {
	const { log } = pipeline;
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
			return state.originPathname;
		},
		params,
		preferredLocale: undefined,
		preferredLocaleList: undefined,
		props: state.props ?? {},
		redirect: (path: string, status = 302) => new NativeResponse(null, { status, headers: { Location: path } }),
		request,
		rewrite: async (payload: RewritePayload) => {
			const target = await rewriteTarget(pipeline, payload, ctx.request, ctx.url.origin);
			return runMiddleware(pipeline, stateFor(pipeline, state, target.route, target.request, target.url, target.params));
		},
		routePattern: state.route.route,
		get session() {
			return sessionOf(pipeline, state);
		},
		site: pipeline.site,
		url,
		[PIPELINE]: {
			rewriteInPlace: async (c, payload) => {
				const target = await rewriteTarget(pipeline, payload, c.request, c.url.origin);
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

const SESSIONS_LEFT_OUT = 'no file under src/ mentions `session`, so the build left sessions out.';

/** `context.session`: made on first use, `undefined` when sessions are off or the build left them out. */
function sessionOf(pipeline: Pipeline, state: RequestState): AstroSession | undefined {
	const { config, sessions, log } = pipeline;
	if (config.session === false) return undefined;
	if (!sessions) {
		if (!pipeline.sessionWarned) log.warn(`[sw-endpoints] context.session is undefined: ${SESSIONS_LEFT_OUT}`);
		pipeline.sessionWarned = true;
		return undefined;
	}
	state.session.current ??= new sessions.Session(state.cookies, config.session, sessions.store, { maxSize: config.limits?.sessionSize });
	return state.session.current;
}

function actionsUnsupported(): never {
	throw new Error('[sw-endpoints] Astro Actions are not supported; call an endpoint with fetch() instead.');
}

function prefixedLogger(log: Logger): APIContext['logger'] {
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
