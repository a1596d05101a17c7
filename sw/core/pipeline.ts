// What every request of one handler shares: the route table, config, logger,
// sessions, the run-time controls and the user middleware, loaded once. It
// follows Astro's `Pipeline` (packages/astro/src/core/base-pipeline.ts:
// manifest, logger, getMiddleware) with the route lookup of
// packages/astro/src/core/app/base.ts#match. Also the types of the handler's API.
import type { Limits } from './limits.ts';
import type { PipelineControls } from './controls.ts';
import type { AstroCookies } from './cookies.ts';
import { findRequestRoute, type RouteEntry, type RouteMatch } from './router.ts';
import type { AstroSession, SessionConfig, SessionStore } from './session.ts';
import type { APIContext, EndpointModule, MiddlewareHandler } from './types.ts';

/** A route of the build's table, with the loader of its module. */
export interface ManifestRoute extends RouteEntry {
	load?: () => Promise<EndpointModule>;
}

/** The part of the project config the handler needs (Astro's option names). */
export interface HandlerConfig {
	base: string;
	trailingSlash: 'always' | 'never' | 'ignore';
	site?: string;
	/** Astro's `output`: which routes are prerendered by default (the build's business; the origin check applies in both) */
	output: 'static' | 'server';
	checkOrigin: boolean;
	buildFormat: 'directory' | 'file' | 'preserve';
	/** Astro's `session` option; `false` turns `context.session` off */
	session: SessionConfig | false;
	/** request bounds in bytes (limits.ts); absent: none (tables built before limits existed) */
	limits?: Limits;
	/** URL paths of prerendered error pages (Astro's prerendered `src/pages/404`, `500`): HandlerOptions.errorPages answers with them */
	errorPages?: { 404?: string; 500?: string };
}

export type Logger = Pick<Console, 'error' | 'warn' | 'info' | 'debug'>;

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
	logger?: Logger;
	/** the controls' layer (`use` overrides, network rules, installed endpoints), consulted before the table */
	controls?: PipelineControls;
	/** the site's prerendered error pages (prerendered-pages.ts), in builds that have them */
	errorPages?: ErrorPages;
}

/** The site's prerendered page for a status, merged under `original` (a 404 Astro made); undefined where it has none. */
export type ErrorPages = (status: 404 | 500, original?: Response) => Promise<Response | undefined>;

/** What answered a request, for the request log. */
export interface Answered {
	/** routePattern, or null when nothing matched */
	route: string | null;
	/** the source file (or `use(GET /path)` for an override), or null */
	file: string | null;
	kind: 'endpoint' | 'installed' | 'override' | 'redirect' | 'not-found' | 'network-error' | 'refused';
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

/** One request's state while a route renders (Astro's `FetchState`, core/fetch/fetch-state.ts). */
export interface RequestState {
	ctx: APIContext;
	route: ManifestRoute;
	cookies: AstroCookies;
	locals: Record<string, any>;
	/** created on first use of `context.session`, shared across rewrites */
	session: { current?: AstroSession };
	/** entries into the middleware chain so far (shared across rewrites) */
	entries: { count: number };
	options: RenderOptions;
	/** `context.originPathname`: the path first requested, kept through rewrites */
	originPathname: string;
	/** `context.props` (getStaticPaths props when prerendering) */
	props?: Record<string, unknown>;
}

/** What a rewrite, an error reroute or a new state shares with the state it comes from. */
export type SharedState = Omit<RequestState, 'ctx' | 'route'>;

/** The route Astro uses when nothing matches (`DEFAULT_404_ROUTE`). */
export const NOT_FOUND_ROUTE: ManifestRoute = {
	route: '/404',
	type: 'endpoint',
	component: 'sw-endpoints:404',
	pattern: '^\\/404\\/?$',
	params: [],
	prefix: '/404',
	prerender: false,
};

export interface Pipeline {
	readonly routes: ManifestRoute[];
	readonly config: HandlerConfig;
	readonly log: Logger;
	readonly site: URL | undefined;
	readonly sessions: HandlerOptions['sessions'];
	readonly controls: PipelineControls | undefined;
	readonly errorPages: HandlerOptions['errorPages'];
	/** set once `context.session` warned that the build left sessions out (once per handler) */
	sessionWarned: boolean;
	/**
	 * The on-demand route of the table for a decoded pathname (prerendered routes are not served);
	 * `uncollapsed` is the request's path before runs of slashes were collapsed (router.ts findRequestRoute).
	 */
	lookup(decoded: string, uncollapsed?: string): RouteMatch<ManifestRoute> | undefined;
	/** The route a request reaches: the controls first, then the table, else the 404 route. */
	resolve(decoded: string, method: string, uncollapsed?: string): RouteMatch<ManifestRoute>;
	/** `context.originPathname` for a decoded pathname, with the trailing slash the config gives it. */
	originPathnameOf(decoded: string): string;
	/** The user's `onRequest`, loaded on first use. */
	getMiddleware(): Promise<MiddlewareHandler | undefined>;
	/** Records what answered a response (for `describe`) and returns the response. */
	note(response: Response, info: Answered): Response;
	describe(response: Response): Answered | undefined;
}

export function createPipeline(options: HandlerOptions): Pipeline {
	const { routes, config, controls } = options;
	const answered = new WeakMap<Response, Answered>();
	const addSlash = config.trailingSlash === 'always' || (config.trailingSlash === 'ignore' && config.buildFormat === 'directory');
	let userMiddleware: Promise<MiddlewareHandler | undefined> | undefined;
	// The worker asks `answers()` and then `handle()` for the same URL: remember the last lookup.
	let last: { decoded: string; uncollapsed: string; found: RouteMatch<ManifestRoute> | undefined } | undefined;

	const pipeline: Pipeline = {
		routes,
		config,
		log: options.logger ?? console,
		site: config.site ? new URL(config.site) : undefined,
		sessions: options.sessions,
		controls,
		errorPages: options.errorPages,
		sessionWarned: false,
		lookup(decoded, uncollapsed = decoded) {
			if (last?.decoded !== decoded || last.uncollapsed !== uncollapsed)
				last = { decoded, uncollapsed, found: findRequestRoute(routes, { pathname: decoded, uncollapsed }, config.base) };
			return last.found;
		},
		resolve(decoded, method, uncollapsed) {
			return (controls?.active && controls.route(method, decoded)) || pipeline.lookup(decoded, uncollapsed) || { route: NOT_FOUND_ROUTE, params: {} };
		},
		originPathnameOf(decoded) {
			if (decoded === '/') return decoded;
			if (config.trailingSlash === 'never') return decoded.replace(/\/+$/, '');
			return addSlash && !decoded.endsWith('/') ? `${decoded}/` : decoded;
		},
		async getMiddleware() {
			userMiddleware ??= options.middleware ? options.middleware().then((m) => m.onRequest) : Promise.resolve(undefined);
			return userMiddleware;
		},
		note(response, info) {
			answered.set(response, info);
			return response;
		},
		describe: (response) => answered.get(response),
	};
	return pipeline;
}
