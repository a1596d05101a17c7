// The virtual module the build generates (build/bundle.mjs#manifestSource).
declare module 'sw-endpoints:manifest' {
	export const routes: import('./core/handler.ts').ManifestRoute[];
	export const config: import('./core/handler.ts').HandlerConfig;
	/** present when some source uses `session` (so the worker only carries it then) */
	export const Session: typeof import('./core/session.ts').AstroSession | undefined;
	/** the browser state: the cookie jar when some source mentions cookies, else locals only */
	export const createClientState: typeof import('./browser/state.ts').createClientState;
	export const createPageCookies: typeof import('./browser/page-cookies.ts').createPageCookies | undefined;
	/** the files the worker precaches, with the build's version */
	export const precache: import('./worker/precache.ts').PrecacheManifest;
	/** the worker's own content hash: installed code is kept for the build it was installed under */
	export const buildId: string;
	/** built in development (watch mode): a new worker takes over by itself */
	export const dev: boolean;
	/** the controls (use, delay, fail, seed, install), in builds with `controls` (development builds by default) */
	export const createControls: typeof import('./controls/controls.ts').createControls | undefined;
	/** builds a request's record for the page's log, in development builds and builds with `controls` */
	export const requestRecord: typeof import('./controls/records.ts').requestRecord | undefined;
	/** the site's prerendered error pages, in builds whose config has `errorPages` (the Astro adapter's) */
	export const createErrorPages: typeof import('./core/prerendered-pages.ts').createErrorPages | undefined;
	export const middleware: (() => Promise<{ onRequest?: import('./core/types.ts').MiddlewareHandler }>) | undefined;
}
