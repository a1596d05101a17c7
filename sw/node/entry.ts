// The module Node mode bundles and imports: the same handler on the same route
// table as the worker, with the set-cookie accessor for transports, and the
// browser state (cookie jar, default locals) and controls the worker has.
import { Session, config, middleware, routes } from 'sw-endpoints:manifest';
import type { HandlerOptions } from '../core/handler.ts';
// The handler with build-time `prerender` (build/prerender.mjs); the worker's createHandler has none.
import { createBuildHandler as createHandler } from '../core/prerender.ts';
import { createMemoryStore } from '../core/session.ts';

export { browserExchange } from '../browser/exchange.ts';
export { createClientState } from '../browser/state.ts';
export { createMemoryKv } from '../core/kv.ts';
export { createControls } from '../controls/controls.ts';
export { overDocumentCookie } from '../browser/page-cookies.ts';
export { getSetCookie } from '../core/response.ts';
export { isReadMethod, isSafeMethod, staticPath } from '../core/static-files.ts';
export { serverRequest, withHeaders } from '../core/request.ts';
export { requestRecord } from '../controls/records.ts';
export { formatRecord } from '../protocol/records.ts';
export { routes, config };

// Whether any endpoint or middleware module of this instance was loaded: until one is,
// there is no module state, and Node mode's reset need not evaluate the bundle again.
let loaded = false;
for (const route of routes) {
	const load = route.load;
	if (load)
		route.load = () => {
			loaded = true;
			return load();
		};
}
const userMiddleware = middleware;
const loadMiddleware =
	userMiddleware &&
	(() => {
		loaded = true;
		return userMiddleware();
	});

/** Whether an endpoint or middleware module has been loaded (by a request, or by prerendering). */
export const modulesLoaded = () => loaded;

/** Creates the handler for the bundled project, with its memory session store (and the controls' layer, from createControls). */
export function create(options: Pick<HandlerOptions, 'logger' | 'controls'> = {}) {
	const store = createMemoryStore();
	const handler = createHandler({ routes, config, middleware: loadMiddleware, sessions: Session && { Session, store }, ...options });
	return { ...handler, clearSessions: () => store.clear() };
}

/** The route entry of a source file and its module, for build-time prerendering. */
export function loadRoute(component: string) {
	const entry = routes.find((r) => r.component === component);
	if (!entry?.load) throw new Error(`no endpoint module for ${component}`);
	return { entry, module: entry.load() };
}
