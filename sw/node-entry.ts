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
