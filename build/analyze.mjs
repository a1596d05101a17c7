// The project as the build sees it: config with Astro's defaults, the sorted
// route table (file routes and config redirects), middleware and the runtime
// features its sources use. No bundling.
import path from 'node:path';
import { findMiddleware, runtimeFeatures } from './bundle.mjs';
import { loadConfig } from './config.mjs';
import { collisionWarnings, redirectRoutes, routeComparator, scanPages } from './routes.mjs';

/**
 * Scans the project and returns its config and sorted route table (no bundling).
 * @param {{ root: string, config?: Record<string, unknown>, configFile?: string, onDemand?: Iterable<string> }} options
 *   `onDemand`: the files under src/pages a host that prerenders by itself (Astro) answers on demand; the others are left to it
 */
export async function analyze({ root, config: inline, configFile, onDemand }) {
	const absRoot = path.resolve(root);
	const config = await loadConfig(absRoot, { configFile, inline });
	const { routes: fileRoutes, warnings } = scanPages(absRoot, config, onDemand && new Set(onDemand));
	const redirects = redirectRoutes(config.redirects, config.trailingSlash);
	// A config redirect replaces the file route with the same path (create-manifest.ts#createRoutesList).
	const shadowed = new Set(redirects.map((r) => r.route));
	const routes = [...fileRoutes.filter((r) => !shadowed.has(r.route)), ...redirects].sort(routeComparator);
	warnings.push(...collisionWarnings(routes));
	/** @type {import('../sw/core/handler.ts').HandlerConfig} what the worker gets as `config` (sw/manifest.d.ts) */
	const runtimeConfig = {
		base: config.base,
		trailingSlash: config.trailingSlash,
		site: config.site,
		output: config.output,
		checkOrigin: config.security.checkOrigin,
		buildFormat: config.build.format,
		// The store is the emulator's own (IndexedDB / memory): Astro's `driver` does not apply.
		session: config.session === false ? false : { cookie: config.session.cookie, ttl: config.session.ttl },
		// Development builds and Node mode (tests) say sooner that a handler is slow (build.mjs sets 30 s for production builds).
		limits: { slowAfter: 10_000, ...config.limits },
		...(config.errorPages ? { errorPages: config.errorPages } : {}),
	};
	const middlewareFile = findMiddleware(absRoot);
	const features = runtimeFeatures(absRoot, config);
	return { root: absRoot, config, runtimeConfig, routes, warnings, middlewareFile, features };
}

/** @typedef {Awaited<ReturnType<typeof analyze>>} Project */
