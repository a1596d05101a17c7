// Files under src/pages → Astro's route table, computed at build time so the
// worker starts with ready data. Mirrors packages/astro/src/core/routing/
// {create-manifest,segment,pattern,priority}.ts of Astro 7.
import fs from 'node:fs';
import path from 'node:path';
import { SwEndpointsError } from '../sw/core/errors.js';

/** @typedef {{ content: string, dynamic: boolean, spread: boolean }} RoutePart */
/**
 * @typedef {object} RouteData
 * @property {string} route routePattern, e.g. `/api/posts/[id]`
 * @property {'endpoint' | 'redirect'} type
 * @property {string} component file relative to the project root, e.g. `src/pages/api/posts/[id].ts`
 * @property {string} [file] absolute path of the endpoint module
 * @property {RoutePart[][]} segments
 * @property {string[]} params parameter names in order of appearance
 * @property {string} pattern regex source matched against the decoded pathname (base removed)
 * @property {string} prefix leading static path every match starts with (a cheap pre-filter)
 * @property {string | undefined} pathname the route's only path when it has no params
 * @property {boolean} isIndex
 * @property {boolean} prerender
 * @property {{ destination: string, status?: number }} [redirect]
 */

const ENDPOINT_EXTENSIONS = new Set(['.js', '.ts']);
const PAGE_EXTENSIONS = new Set(['.astro', '.md', '.mdx', '.markdown', '.html']);
const UNSUPPORTED_PAGES = new Set(['.tsx', '.jsx', '.vue', '.svelte']);
// create-manifest.ts ROUTE_DYNAMIC_SPLIT
const DYNAMIC_SPLIT = /\[([^[\]()]+(?:\([^)]+\))?)\]/;
const SPREAD = /^\.{3}.+$/;

/**
 * Splits one path segment (`[lang]-[version]`) into static and dynamic parts.
 * @param {string} segment
 * @param {string} file
 * @returns {RoutePart[]}
 */
export function getParts(segment, file) {
	/** @type {RoutePart[]} */
	const result = [];
	segment.split(DYNAMIC_SPLIT).forEach((str, i) => {
		if (!str) return;
		const dynamic = i % 2 === 1;
		const content = dynamic ? (/([^(]+)$/.exec(str) ?? [])[1] : str;
		if (!content || (dynamic && !/^(?:\.\.\.)?[\w$]+$/.test(content))) {
			throw new SwEndpointsError(
				'InvalidParameterName',
				`${file}: parameter name "${str}" must match /^[a-zA-Z0-9_$]+$/; rename the file so each [name] holds letters, digits, _ or $ only`,
				{ file },
			);
		}
		result.push({ content, dynamic, spread: dynamic && SPREAD.test(content) });
	});
	return result;
}

/**
 * Astro's segment validation (segment.ts); rest params inside a segment are fine for endpoints.
 * @param {string} segment
 * @param {string} file
 */
export function validateSegment(segment, file) {
	if (segment.includes('][')) {
		throw new SwEndpointsError('InvalidRouteFileName', `${file}: parameters in "${segment}" must be separated by static text, e.g. [a]-[b]`, { file });
	}
	const open = segment.split('[').length - 1;
	const close = segment.split(']').length - 1;
	if (open !== close) {
		throw new SwEndpointsError('InvalidRouteFileName', `${file}: unbalanced "${open > close ? '[' : ']'}" in "${segment}"; every [ needs a matching ]`, {
			file,
		});
	}
}

/**
 * The regex source for a route (pattern.ts#getPattern).
 * @param {RoutePart[][]} segments
 * @param {'always' | 'never' | 'ignore'} trailingSlash
 */
export function getPattern(segments, trailingSlash) {
	const pathname = segments
		.map((segment) => {
			if (segment.length === 1 && segment[0].spread) return '(?:\\/(.*?))?';
			return (
				'\\/' +
				segment
					.map((part) => {
						if (part.spread) return '(.*?)';
						if (part.dynamic) return '([^/]+?)';
						return part.content
							.normalize()
							.replace(/\?/g, '%3F')
							.replace(/#/g, '%23')
							.replace(/%5B/g, '[')
							.replace(/%5D/g, ']')
							.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
					})
					.join('')
			);
		})
		.join('');
	const trailing = segments.length ? (trailingSlash === 'always' ? '\\/$' : trailingSlash === 'never' ? '$' : '\\/?$') : '$';
	return `^${pathname || '\\/'}${trailing}`;
}

/** @param {RoutePart[][]} segments */
function joinSegments(segments) {
	const parts = segments.map((s) => s.map((p) => (p.dynamic ? `[${p.content}]` : p.content)).join(''));
	return `/${parts.join('/')}`;
}

/** @param {RoutePart[][]} segments */
function staticPrefix(segments) {
	const out = [];
	for (const s of segments) {
		if (s.length !== 1 || s[0].dynamic) break;
		out.push(s[0].content.normalize());
	}
	return out.length ? `/${out.join('/')}` : '';
}

/** @param {string} p */
const hasFileExtension = (p) => /\/[^/]+\.\w+$/.test(p);

/**
 * Sort order of routes (priority.ts#routeComparator): the first matching route wins.
 * @param {RouteData} a
 * @param {RouteData} b
 */
export function routeComparator(a, b) {
	const common = Math.min(a.segments.length, b.segments.length);
	for (let i = 0; i < common; i++) {
		const as = a.segments[i];
		const bs = b.segments[i];
		const aStatic = as.every((p) => !p.dynamic && !p.spread);
		const bStatic = bs.every((p) => !p.dynamic && !p.spread);
		if (aStatic && bStatic) {
			const ac = as.map((p) => p.content).join('');
			const bc = bs.map((p) => p.content).join('');
			if (ac !== bc) return ac.localeCompare(bc);
		}
		if (aStatic !== bStatic) return aStatic ? -1 : 1;
		const aAllDynamic = as.every((p) => p.dynamic);
		const bAllDynamic = bs.every((p) => p.dynamic);
		if (aAllDynamic !== bAllDynamic) return aAllDynamic ? 1 : -1;
		const aSpread = as.some((p) => p.spread);
		const bSpread = bs.some((p) => p.spread);
		if (aSpread !== bSpread) return aSpread ? 1 : -1;
	}
	const al = a.segments.length;
	const bl = b.segments.length;
	if (al !== bl) {
		const aRest = a.segments.at(-1)?.some((p) => p.spread) ?? false;
		const bRest = b.segments.at(-1)?.some((p) => p.spread) ?? false;
		if (aRest !== bRest && Math.abs(al - bl) === 1) {
			if (al > bl && aRest) return 1;
			if (bl > al && bRest) return -1;
		}
		return al > bl ? -1 : 1;
	}
	if ((a.type === 'endpoint') !== (b.type === 'endpoint')) return a.type === 'endpoint' ? -1 : 1;
	return a.route.localeCompare(b.route);
}

/**
 * Turns segments into a route record.
 * @param {RoutePart[][]} segments
 * @param {Partial<RouteData> & { type: RouteData['type'], component: string }} rest
 * @param {'always' | 'never' | 'ignore'} trailingSlash
 * @returns {RouteData}
 */
function makeRoute(segments, rest, trailingSlash) {
	const pathname = segments.every((s) => s.length === 1 && !s[0].dynamic) ? `/${segments.map((s) => s[0].content).join('/')}` : undefined;
	const effectiveSlash = rest.type === 'endpoint' && pathname && hasFileExtension(pathname) ? 'never' : trailingSlash;
	return {
		route: joinSegments(segments),
		segments,
		params: segments
			.flat()
			.filter((p) => p.dynamic)
			.map((p) => p.content.replace(/^\.\.\./, '')),
		pattern: getPattern(segments, effectiveSlash),
		prefix: staticPrefix(segments),
		pathname,
		isIndex: false,
		prerender: false,
		...rest,
	};
}

/**
 * Reads `export const prerender = true|false` statically, as Astro does (a literal only).
 * @param {string} source
 * @returns {boolean | undefined}
 */
export function readPrerenderExport(source) {
	const m = /^\s*export\s+const\s+prerender\s*(?::\s*boolean\s*)?=\s*(true|false)\b/m.exec(source);
	return m ? m[1] === 'true' : undefined;
}

/**
 * Walks `<root>/src/pages` and returns endpoint routes in Astro's file order (unsorted) plus warnings.
 * @param {string} root absolute project root
 * @param {{ trailingSlash: 'always' | 'never' | 'ignore', output: 'static' | 'server' }} config
 * @returns {{ routes: RouteData[], warnings: string[] }}
 */
export function scanPages(root, config) {
	const pagesDir = path.join(root, 'src', 'pages');
	/** @type {RouteData[]} */
	const routes = [];
	/** @type {string[]} */
	const warnings = [];
	if (!fs.existsSync(pagesDir)) {
		throw new SwEndpointsError(
			'MissingPagesDirectory',
			`no src/pages folder in ${root}; create src/pages/api/hello.ts (exporting GET) or pass the right --root`,
		);
	}
	const prerenderDefault = config.output !== 'server';

	/** @param {string} dir @param {RoutePart[][]} parentSegments */
	function walk(dir, parentSegments) {
		const names = fs.readdirSync(dir).sort();
		for (const basename of names) {
			const resolved = path.join(dir, basename);
			const file = path.relative(root, resolved).split(path.sep).join('/');
			const isDir = fs.statSync(resolved).isDirectory();
			const ext = path.extname(basename);
			const name = ext ? basename.slice(0, -ext.length) : basename;
			if (name[0] === '_') continue;
			if (basename[0] === '.' && basename !== '.well-known') continue;
			if (!isDir && !ENDPOINT_EXTENSIONS.has(ext)) {
				if (UNSUPPORTED_PAGES.has(ext) || PAGE_EXTENSIONS.has(ext)) {
					warnings.push(`${file}: only .ts and .js endpoints are served; ${ext} pages are not supported (prefix the name with _ to silence this)`);
				}
				continue;
			}
			const segment = isDir ? basename : name;
			validateSegment(segment, file);
			const parts = getParts(segment, file);
			const segments = parentSegments.slice();
			const isIndex = !isDir && basename.substring(0, basename.lastIndexOf('.')) === 'index';
			if (!isIndex) segments.push(parts);
			if (isDir) {
				walk(resolved, segments);
				continue;
			}
			const source = fs.readFileSync(resolved, 'utf8');
			const prerender = readPrerenderExport(source) ?? prerenderDefault;
			routes.push(makeRoute(segments, { type: 'endpoint', component: file, file: resolved, isIndex, prerender }, config.trailingSlash));
		}
	}
	walk(pagesDir, []);
	return { routes, warnings };
}

/**
 * Route records for config `redirects` (core/routing/create-manifest.ts#createRedirectRoutes).
 * @param {Record<string, string | { status: number, destination: string }>} redirects
 * @param {'always' | 'never' | 'ignore'} trailingSlash
 * @returns {RouteData[]}
 */
export function redirectRoutes(redirects, trailingSlash) {
	return Object.entries(redirects ?? {}).map(([from, to]) => {
		const where = `redirects["${from}"] in the config`;
		const segments = from
			.replace(/^\//, '')
			.split('/')
			.filter(Boolean)
			.map((s) => {
				validateSegment(s, where);
				return getParts(s, where);
			});
		const target = typeof to === 'string' ? { destination: to } : to;
		if (!target || typeof target.destination !== 'string') {
			throw new SwEndpointsError('InvalidRedirect', `${where}: expected a path or { status, destination }, got ${JSON.stringify(to)}`);
		}
		return makeRoute(segments, { type: 'redirect', component: from, redirect: target }, trailingSlash);
	});
}

/**
 * Warnings Astro prints for routes that can never both match (static duplicates, same dynamic shape).
 * @param {RouteData[]} routes sorted
 * @returns {string[]}
 */
export function collisionWarnings(routes) {
	const out = [];
	const shape = (/** @type {RouteData} */ r) => r.segments.map((s) => s.map((p) => (p.spread ? '[...]' : p.dynamic ? '[]' : p.content)).join('')).join('/');
	const seen = new Map();
	for (const r of routes) {
		if (r.type !== 'endpoint') continue;
		const key = shape(r);
		const prev = seen.get(key);
		if (prev && prev.prerender === r.prerender) {
			out.push(
				`The route "${r.route}" (${r.component}) is defined in both "${prev.component}" and "${r.component}". A collision will result in a hard error in following versions of Astro.`,
			);
		} else seen.set(key, r);
	}
	return out;
}
