// Runtime route matching over the table computed by the build: pure functions,
// no globals. Mirrors Astro 7's FetchState pathname handling
// (core/fetch/fetch-state.ts, core/util/pathname.ts) and router.ts.

/** One route as the build emits it (see build/routes.mjs for how it is computed). */
export interface RouteEntry {
	/** routePattern, e.g. `/api/posts/[id]` */
	route: string;
	type: 'endpoint' | 'redirect';
	/** the source file, e.g. `src/pages/api/posts/[id].ts` */
	component: string;
	/** regex source, compiled on first use (the table is JSON) */
	pattern: string;
	/** the compiled pattern, cached */
	regex?: RegExp;
	/** a linear test that fails where the pattern cannot match, set by the manifest for routes with several params in a segment (near-miss.ts) */
	check?: (pathname: string) => boolean;
	params: string[];
	/** static leading path every match starts with ('' when the first segment is dynamic) */
	prefix: string;
	prerender: boolean;
	/** config redirects only */
	redirect?: { destination: string; status?: number };
	/** config redirects only: segments for filling `[param]` in the destination */
	segments?: Array<Array<{ content: string; dynamic: boolean; spread: boolean }>>;
}

/** A route found for a pathname, with its decoded params. */
export interface RouteMatch<R extends RouteEntry = RouteEntry> {
	route: R;
	params: Record<string, string | undefined>;
}

/**
 * Result of decoding a request pathname: the path used for matching and rendering (runs of
 * slashes collapsed), the same before collapsing (what the adapter matches first: `findRequestRoute`),
 * or why it was refused.
 */
export type DecodedPath = { ok: true; pathname: string; uncollapsed: string } | { ok: false; status: 400 };

const MAX_DECODE_ROUNDS = 10;

/**
 * Decodes a raw (still percent-encoded) pathname as Astro does: `decodeURI` until
 * stable (reserved characters such as `%2F` stay encoded), stopping quietly at a
 * sequence that no longer decodes; more than 10 rounds is a 400. Duplicate
 * slashes are then collapsed.
 */
export function decodePathname(raw: string): DecodedPath {
	let decoded = raw;
	for (let round = 0; ; round++) {
		let next: string;
		try {
			next = decodeURI(decoded);
		} catch {
			// Malformed: core keeps the last good value (verified routing/param-malformed-percent).
			break;
		}
		if (next === decoded) break;
		if (round >= MAX_DECODE_ROUNDS) return { ok: false, status: 400 };
		decoded = next;
	}
	return { ok: true, pathname: decoded.replace(/\/{2,}/g, '/'), uncollapsed: decoded };
}

/**
 * Where a request must be redirected to satisfy `trailingSlash`, or `undefined`
 * (core/routing/trailing-slash-handler.ts; runs on the raw pathname).
 */
export function trailingSlashRedirect(pathname: string, trailingSlash: 'always' | 'never' | 'ignore'): string | undefined {
	// Scans, not regexes: /\/\/+$/ backtracks quadratically on a long run of slashes
	// that does not end the path (100,000 slashes then `x`: 6.8 s in Node).
	let end = pathname.length;
	while (end > 0 && pathname.charCodeAt(end - 1) === 47 /* / */) end--;
	// Internal paths (`/_`, `/@`, `/.`, `//` first) are left alone, but not a path of slashes only
	// (@astrojs/internal-helpers/path isInternalPath): `//` goes to `/` (verified double-slash/root-*).
	if (pathname === '/' || (end > 0 && /^\/[_@.\/]/.test(pathname))) return undefined;
	if (pathname.length - end >= 2) return pathname.slice(0, end) + (trailingSlash === 'never' && end > 0 ? '' : '/');
	if (trailingSlash === 'always' && !pathname.endsWith('/') && !hasFileExtension(pathname)) {
		return `${pathname}/`;
	}
	if (trailingSlash === 'never' && pathname.endsWith('/')) return pathname.slice(0, -1);
	return undefined;
}

/** Whether the last segment looks like `name.ext` (Astro's `/[^/]+\.\w+$/`, without its backtracking). */
function hasFileExtension(pathname: string): boolean {
	const last = pathname.slice(pathname.lastIndexOf('/') + 1);
	const dot = last.lastIndexOf('.');
	return dot > 0 && dot < last.length - 1 && /^\w+$/.test(last.slice(dot + 1));
}

/**
 * Finds the first route (in priority order) whose pattern matches `pathname`.
 * With `onDemand`, prerendered endpoints are passed over as Astro does at run time
 * (core/routing/match-request.ts): a static one means "no match", a dynamic one
 * lets the next matching route answer.
 */
export function matchRoute<R extends RouteEntry>(routes: readonly R[], pathname: string, onDemand = false): RouteMatch<R> | undefined {
	for (const route of routes) {
		if (route.prefix && !pathname.startsWith(route.prefix)) continue;
		if (route.check && !route.check(pathname)) continue;
		const m = (route.regex ??= new RegExp(route.pattern)).exec(pathname);
		if (!m) continue;
		if (onDemand && route.prerender && route.type === 'endpoint') {
			if (route.params.length === 0) return undefined;
			continue;
		}
		const params: Record<string, string | undefined> = {};
		// A rest param that matched nothing is `undefined` (key present), as in Astro's getParams.
		for (let i = 0; i < route.params.length; i++) params[route.params[i]] = m[i + 1] || undefined;
		return { route, params };
	}
	return undefined;
}

/**
 * The on-demand route for a decoded request path: `base` removed, prerendered
 * routes passed over, and for endpoints a trailing `/index.html` or `.html`
 * tried off only when the path itself matches nothing (core/routing/match.ts).
 */
export function findRoute<R extends RouteEntry>(routes: readonly R[], decoded: string, base: string): RouteMatch<R> | undefined {
	const pathname = stripBase(decoded, base);
	if (pathname === undefined) return undefined;
	const found = matchRoute(routes, pathname, true);
	if (found || !pathname.endsWith('.html')) return found;
	const bare = pathname.replace(/(?:\/index)?\.html$/, '') || '/';
	return matchRoute(routes, bare, true);
}

/**
 * The route of a request as the Node adapter (middleware mode) and Astro find it: the
 * adapter's `app.match()` tries the decoded path with its runs of slashes kept, where a
 * path starting `//` matches nothing (core/routing/router.ts getRedirectForPathname), so
 * `/a//b` reaches `a/[...rest]` rather than `a/b`; only when that finds nothing does Astro
 * match the collapsed path (core/fetch/fetch-state.ts #resolveRouteData). Params always
 * come from the collapsed path (core/render/params-and-props.ts getParams: `{}` when the
 * route's pattern does not match it). Verified double-slash/*.
 */
export function findRequestRoute<R extends RouteEntry>(
	routes: readonly R[],
	decoded: { pathname: string; uncollapsed: string },
	base: string,
): RouteMatch<R> | undefined {
	if (decoded.uncollapsed !== decoded.pathname && !stripBase(decoded.uncollapsed, base)?.startsWith('//')) {
		const found = findRoute(routes, decoded.uncollapsed, base);
		if (found) return { route: found.route, params: findRoute([found.route], decoded.pathname, base)?.params ?? {} };
	}
	return findRoute(routes, decoded.pathname, base);
}

/** Removes `base` from a decoded pathname; `undefined` when the path is outside it. */
export function stripBase(pathname: string, base: string): string | undefined {
	if (base === '/') return pathname;
	const b = base.endsWith('/') ? base.slice(0, -1) : base;
	if (pathname === b) return '/';
	if (pathname.startsWith(`${b}/`)) return pathname.slice(b.length);
	return undefined;
}

/**
 * Fills a config redirect's destination with the matched params
 * (core/redirects/render.ts: `[param]` and `[...rest]` are substituted).
 */
export function redirectDestination(destination: string, params: Record<string, string | undefined>): string {
	return destination.replace(/\[(\.\.\.)?([\w$]+)\]/g, (_, _spread, name: string) => params[name] ?? '');
}
