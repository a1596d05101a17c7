// The virtual module the build generates (bundler/bundle.mjs#manifestSource).
declare module 'sw-endpoints:manifest' {
	export const routes: import('./handler.ts').ManifestRoute[];
	export const config: import('./handler.ts').HandlerConfig;
	/** present when some source uses `session` (so the worker only carries it then) */
	export const Session: typeof import('./session.ts').AstroSession | undefined;
	export const middleware: (() => Promise<{ onRequest?: import('./types.ts').MiddlewareHandler }>) | undefined;
}
