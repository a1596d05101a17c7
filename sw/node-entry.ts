// The module Node mode bundles and imports: the same handler on the same route
// table as the worker, with the set-cookie accessor for transports.
import { Session, config, middleware, routes } from 'sw-endpoints:manifest';
import { createHandler, type HandlerOptions } from './handler.ts';
import { createMemoryStore } from './session.ts';

export { getSetCookie } from './response.ts';
export { serverRequest } from './request.ts';
export { routes, config };

/** Creates the handler for the bundled project. */
export function create(options: Pick<HandlerOptions, 'logger'> = {}) {
	const store = createMemoryStore();
	const handler = createHandler({ routes, config, middleware, sessions: Session && { Session, store }, ...options });
	return { ...handler, clearSessions: () => store.clear() };
}

/** The route entry of a source file and its module, for build-time prerendering. */
export function loadRoute(component: string) {
	const entry = routes.find((r) => r.component === component);
	if (!entry?.load) throw new Error(`no endpoint module for ${component}`);
	return { entry, module: entry.load() };
}
