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
						return asInPath(part.content).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

/**
 * A static part of a file name as the decoded request path spells it (Astro's
 * getPattern): `?` and `#` stay percent-encoded, `%5B`/`%5D` are brackets. The
 * pattern and the static prefix both use it, so the prefix never turns away the
 * route's own path.
 * @param {string} content
 */
function asInPath(content) {
	return content.normalize().replace(/\?/g, '%3F').replace(/#/g, '%23').replace(/%5B/g, '[').replace(/%5D/g, ']');
}

/** @param {RoutePart[][]} segments */
function staticPrefix(segments) {
	const out = [];
	for (const s of segments) {
		if (s.length !== 1 || s[0].dynamic) break;
		out.push(asInPath(s[0].content));
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

/** The method exports Astro calls (endpoint.ts: `mod[METHOD] ?? mod.ALL`). */
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'ALL']);
/** Before a `/` these end an expression, so the slash divides; after anything else, or after one of these keywords, it opens a regex literal. */
const ENDS_EXPRESSION = /[\w$)\]]$/;
const KEYWORD_BEFORE_REGEX = /(?:^|[^\w$.])(?:return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/;

/**
 * `source` with comments, string, template and regex literals turned into spaces
 * (newlines kept, so offsets and line numbers still hold): what is left is code,
 * where a name can be searched for without matching prose. A cheap lexer, not a
 * parser: `${…}` inside a template is blanked with the template.
 * @param {string} source
 */
export function codeOnly(source) {
	/** @type {string[]} */
	const out = [];
	const blank = (/** @type {number} */ from, /** @type {number} */ to) => out.push(source.slice(from, to).replace(/[^\n]/g, ' '));
	let code = '';
	let i = 0;
	while (i < source.length) {
		const c = source[i];
		const next = source[i + 1];
		let end = -1;
		if (c === '/' && next === '/') {
			end = source.indexOf('\n', i);
			if (end === -1) end = source.length;
		} else if (c === '/' && next === '*') {
			end = source.indexOf('*/', i + 2);
			end = end === -1 ? source.length : end + 2;
		} else if (c === '"' || c === "'" || c === '`') {
			end = i + 1;
			while (end < source.length && source[end] !== c && (c === '`' || source[end] !== '\n')) end += source[end] === '\\' ? 2 : 1;
			end = Math.min(end + 1, source.length);
		} else if (c === '/') {
			const before = code.trimEnd().slice(-12);
			if (!ENDS_EXPRESSION.test(before) || KEYWORD_BEFORE_REGEX.test(before)) {
				let inClass = false;
				end = i + 1;
				while (end < source.length && source[end] !== '\n' && (inClass || source[end] !== '/')) {
					if (source[end] === '\\') end++;
					else if (source[end] === '[') inClass = true;
					else if (source[end] === ']') inClass = false;
					end++;
				}
				end = Math.min(end + 1, source.length);
				while (end < source.length && /[a-z]/i.test(source[end])) end++;
			}
		}
		if (end === -1) {
			out.push(c);
			code += c;
			if (code.length > 64) code = code.slice(-32);
			i++;
		} else {
			blank(i, end);
			// A literal is a value: a slash after it divides.
			code += c === '/' && (next === '/' || next === '*') ? ' ' : ' 0';
			i = end;
		}
	}
	return out.join('');
}

/**
 * The names a module exports as values, each with its line (1-based): `export const|let|var|function`,
 * and `export { a as b }` lists (re-exports too; `type` ones left out). Comments and strings are not read.
 * @param {string} source
 * @returns {Array<{ name: string, line: number }>}
 */
export function exportedNames(source) {
	const code = codeOnly(source);
	const lineAt = (/** @type {number} */ index) => code.slice(0, index).split('\n').length;
	/** @type {Array<{ name: string, index: number }>} */
	const found = [];
	for (const m of code.matchAll(/(?<![\w$.])export\s+(?:(?:async\s+)?function\s*\*?\s*|(?:const|let|var)\s+)([A-Za-z_$][\w$]*)/g)) {
		found.push({ name: m[1], index: m.index + m[0].length - m[1].length });
	}
	for (const m of code.matchAll(/(?<![\w$.])export\s*\{([^}]*)\}/g)) {
		let offset = m.index + m[0].indexOf('{') + 1;
		for (const spec of m[1].split(',')) {
			const name = /(?:^|\s)([A-Za-z_$][\w$]*)\s*$/.exec(spec);
			if (name && !/^\s*type\s/.test(spec)) found.push({ name: name[1], index: offset + name.index + name[0].length - name[1].length });
			offset += spec.length + 1;
		}
	}
	return found.sort((a, b) => a.index - b.index).map(({ name, index }) => ({ name, line: lineAt(index) }));
}

/**
 * Warnings for method handlers Astro never calls: `export const get`, `export function post`,
 * `export { handler as put }` (any case but upper, and Astro 2's `del`), unless the file also
 * exports the uppercase name.
 * @param {string} source
 * @param {string} file project-relative, for the message
 * @returns {string[]}
 */
export function methodExportWarnings(source, file) {
	const exported = exportedNames(source);
	const names = new Set(exported.map((e) => e.name));
	return exported.flatMap(({ name, line }) => {
		const upper = name.toUpperCase();
		// `del` was Astro 2's name for DELETE handlers.
		const method = upper === 'DEL' ? 'DELETE' : METHODS.has(upper) ? upper : undefined;
		if (!method || name === method || names.has(method)) return [];
		return [`${file}:${line} exports "${name}"; Astro only calls uppercase method exports, so this handler never runs: rename it to ${method}`];
	});
}

/**
 * Walks `<root>/src/pages` and returns endpoint routes in Astro's file order (unsorted) plus warnings.
 * @param {string} root absolute project root
 * @param {{ trailingSlash: 'always' | 'never' | 'ignore', output: 'static' | 'server' }} config
 * @param {ReadonlySet<string>} [onDemand] a host that routes the pages itself (Astro) names the files it answers on demand
 *   (relative to `root`, `/` separators): only those become routes, all on demand; every other file is the host's, with no warning
 * @returns {{ routes: RouteData[], warnings: string[] }}
 */
export function scanPages(root, config, onDemand) {
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
			if (!isDir && onDemand && !onDemand.has(file)) continue;
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
			const prerender = onDemand ? false : (readPrerenderExport(source) ?? prerenderDefault);
			warnings.push(...methodExportWarnings(source, file));
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
