// Types shared by the runtime modules: the endpoint context and middleware
// signatures (shaped like Astro 7's `APIContext`, so `import type` from 'astro'
// and from here describe the same objects).
import type { AstroCookies } from './cookies.ts';

/** The public methods of Astro's `AstroSession` (sw/core/session.ts implements them). */
export interface AstroSessionApi {
	get<T = any>(key: string): Promise<T | undefined>;
	set<T = any>(key: string, value: T, options?: { ttl?: number }): void;
	has(key: string): Promise<boolean>;
	delete(key: string): void;
	keys(): Promise<Iterable<string>>;
	values(): Promise<Iterable<any>>;
	entries(): Promise<Iterable<[string, any]>>;
	regenerate(): Promise<void>;
	destroy(): void;
	load(id: string): Promise<void>;
	readonly id: string | undefined;
}

/** What `next()` and `rewrite()` accept: a path, a URL or a whole Request. */
export type RewritePayload = string | URL | Request;

/** Hidden link from a context to the request pipeline that made it (used by `sequence`). */
export const PIPELINE: unique symbol = Symbol.for('sw-endpoints.pipeline');

/** The pipeline operations middleware helpers need. */
export interface PipelineLink {
	/** Points the context at another route for a `next(payload)` rewrite inside `sequence`. */
	rewriteInPlace(ctx: APIContext, payload: RewritePayload): Promise<void>;
}

/** The context every endpoint and middleware receives (Astro's `APIContext`). */
export interface APIContext<Props extends Record<string, any> = Record<string, any>> {
	params: Record<string, string | undefined>;
	props: Props;
	request: Request;
	url: URL;
	site: URL | undefined;
	generator: string;
	readonly clientAddress: string;
	cookies: AstroCookies;
	locals: Record<string, any>;
	/** Astro's session (`undefined` when sessions are off) */
	readonly session: AstroSessionApi | undefined;
	redirect(path: string, status?: number): Response;
	rewrite(payload: RewritePayload): Promise<Response>;
	routePattern: string;
	readonly originPathname: string;
	isPrerendered: boolean;
	currentLocale: string | undefined;
	preferredLocale: string | undefined;
	preferredLocaleList: string[] | undefined;
	csp: undefined;
	cache: { set(...args: unknown[]): void; invalidate(...args: unknown[]): void; readonly enabled: false };
	logger: { info(msg: string): void; warn(msg: string): void; error(msg: string): void; debug(msg: string): void };
	callAction(...args: unknown[]): never;
	getActionResult(...args: unknown[]): never;
	[PIPELINE]: PipelineLink;
}

/** An endpoint handler (`GET`, `POST`, ..., `ALL`). */
export type APIRoute = (context: APIContext) => Response | Promise<Response>;

/** `next` as middleware receives it. */
export type MiddlewareNext = (payload?: RewritePayload) => Promise<Response>;

/** A middleware function (`onRequest`). */
export type MiddlewareHandler = (context: APIContext, next: MiddlewareNext) => Promise<Response | void> | Response | void;

/** `getStaticPaths` of a prerendered dynamic route: the paths to build, with their props. */
export type GetStaticPaths = (options: {
	paginate: (...args: unknown[]) => never;
	routePattern: string;
}) =>
	| Array<{ params: Record<string, string | undefined>; props?: Record<string, any> }>
	| Promise<Array<{ params: Record<string, string | undefined>; props?: Record<string, any> }>>;

/** What an endpoint module may export. */
export interface EndpointModule {
	[method: string]: unknown;
	getStaticPaths?: (...args: unknown[]) => unknown;
	prerender?: boolean;
}
