// The module Node mode bundles and imports: the same handler on the same route
// table as the worker, with the set-cookie accessor for transports, and the
// browser state (cookie jar, default locals) and run-time layer the worker has.
import { Session, config, middleware, routes } from 'sw-endpoints:manifest';
import { createClientState } from '../browser/state.ts';
import { createMemoryKv } from '../core/kv.ts';
import { createHandler, type HandlerOptions } from '../core/handler.ts';
import { createOverrides } from '../controls/layer.ts';
import { createMemoryStore } from '../core/session.ts';

export { browserExchange } from '../browser/exchange.ts';
export { overDocumentCookie } from '../browser/page-cookies.ts';
export { getSetCookie } from '../core/response.ts';
export { serverRequest, withHeaders } from '../core/request.ts';
export { requestRecord } from '../controls/records.ts';
export { formatRecord, SEED_HANDLER, SEED_PATH } from '../protocol/records.ts';
export { routes, config };

/** Creates the handler for the bundled project, with its memory session store and run-time layer. */
export function create(options: Pick<HandlerOptions, 'logger'> = {}) {
	const store = createMemoryStore();
	const overrides = createOverrides({ base: config.base });
	const handler = createHandler({ routes, config, middleware, sessions: Session && { Session, store }, overrides, ...options });
	return { ...handler, overrides, clearSessions: () => store.clear() };
}

/** A browser's state for one origin in memory: the worker's cookie jar and default locals. */
export function createBrowserState() {
	return createClientState({ cookies: createMemoryKv(), meta: createMemoryKv() });
}

/** The route entry of a source file and its module, for build-time prerendering. */
export function loadRoute(component: string) {
	const entry = routes.find((r) => r.component === component);
	if (!entry?.load) throw new Error(`no endpoint module for ${component}`);
	return { entry, module: entry.load() };
}
