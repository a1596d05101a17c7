// The controls' layer in front of the build's route table: handler overrides
// (`use`), simulated latency and network failures, and endpoint modules installed
// as code. The handler consults it before the table (core's `PipelineControls`);
// the controls (controls.ts) fill it and decide what is kept.
import { matchRoute } from '../core/router.ts';
import type { ControlledRoute } from '../core/controls.ts';
import type { APIContext, EndpointModule } from '../core/types.ts';

/** A handler given to `use()` in-process: an endpoint handler, or a Response answered (as a copy) every time. */
export type OverrideHandler = ((context: APIContext) => Response | Promise<Response>) | Response;

/** A simulated network condition for requests matching `path` (and `method`, default any). */
export interface NetworkRule {
	path: string;
	method?: string;
	/** ms to wait before answering */
	delay?: number;
	/** fail like a broken connection (fetch rejects with a TypeError) */
	fail?: boolean;
	/** fail only this many times, then answer normally */
	times?: number;
}

interface UseRule {
	method: string;
	entry: ControlledRoute;
	once: boolean;
	source?: string;
}

/** The part of the rules that can be kept (overrides that came as source text, and network rules). */
export interface RulesSnapshot {
	uses: Array<{ method: string; path: string; source: string; once: boolean }>;
	network: NetworkRule[];
}

const METHOD = /^[A-Za-z]+$|^\*$/;

/** `GET`, `get` → `GET`; `*`/`ALL` → `*`. Throws for anything that is not a method name. */
export function normalizeMethod(method: string | undefined): string {
	const m = (method ?? '*').toUpperCase();
	if (!METHOD.test(m)) throw new TypeError(`[sw-endpoints] "${method}" is not an HTTP method; use e.g. 'GET', 'POST' or '*' for any`);
	return m === 'ALL' ? '*' : m;
}

function methodMatches(rule: string, method: string): boolean {
	return rule === '*' || rule === method || (method === 'HEAD' && rule === 'GET');
}

/**
 * A path in Astro's route syntax (`/api/posts/[id]`, `/api/[...rest]`, `post-[slug]`)
 * or with `*` for anything, as a route entry's regex and param names. Trailing
 * slashes are optional, as in a server with `trailingSlash: 'ignore'`.
 */
export function compilePath(path: string): { pattern: string; params: string[]; prefix: string } {
	if (!path.startsWith('/')) throw new TypeError(`[sw-endpoints] route path "${path}" must start with "/" (e.g. "/api/posts/[id]")`);
	const params: string[] = [];
	let pattern = '';
	let prefix = '';
	let dynamic = false;
	const segments = path.split('/').filter(Boolean);
	for (const segment of segments) {
		const rest = /^\[\.\.\.([^\]]+)\]$/.exec(segment);
		if (rest) {
			params.push(rest[1]);
			pattern += '(?:\\/(.*?))?';
			dynamic = true;
			continue;
		}
		let part = '';
		for (const piece of segment.split(/(\[[^\]]+\]|\*)/).filter(Boolean)) {
			if (piece === '*') part += '.*';
			else if (piece.startsWith('[')) {
				params.push(piece.slice(1, -1));
				part += '([^/]+?)';
			} else part += piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			dynamic ||= piece === '*' || piece.startsWith('[');
		}
		pattern += `\\/${part}`;
		if (!dynamic) prefix += `/${segment}`;
	}
	return { pattern: segments.length ? `^${pattern}\\/?$` : '^\\/$', params, prefix };
}

/** A file as given to install() (`api/x.ts`, `/api/x.ts` or `src/pages/api/x.ts`) → its path under src/pages. */
export function pagesPath(file: string): string {
	return file.replace(/^\/+/, '').replace(/^src\/pages\//, '');
}

/** The route component of a file under src/pages, as the build names it (`src/pages/api/x.ts`). */
export function componentOf(file: string): string {
	return `src/pages/${pagesPath(file)}`;
}

/** A file path under src/pages (`api/posts/[id].ts`, `src/pages/api/index.js`) → its route (`/api/posts/[id]`, `/api`). */
export function routeOfFile(file: string): string {
	const relative = pagesPath(file);
	if (!/\.(?:[cm]?[jt]s)$/.test(relative)) {
		throw new TypeError(`[sw-endpoints] "${file}" is not an endpoint file: name it like api/hello.ts (.ts or .js under src/pages)`);
	}
	const route = `/${relative.replace(/\.(?:[cm]?[jt]s)$/, '').replace(/(?:^|\/)index$/, '')}`;
	return route.length > 1 ? route.replace(/\/$/, '') : '/';
}

/**
 * Evaluates an endpoint module compiled to CommonJS (esbuild `format: 'cjs'`),
 * as code that arrives at run time: a worker cannot `import()` (platform facts),
 * `new Function` can. Only `astro` can be required (its types erase to nothing).
 */
export function evaluateModule(code: string, file: string, modules: Record<string, unknown> = {}): EndpointModule {
	const module = { exports: {} as Record<string, unknown> };
	const require = (id: string) => {
		if (id === 'astro' || id === 'astro:middleware' || id in modules) return modules[id] ?? {};
		throw new Error(`${file} imports "${id}": an endpoint installed at run time can import only "astro" (types); put what it needs in the file itself`);
	};
	new Function('exports', 'require', 'module', `${code}\n//# sourceURL=sw-endpoints:installed/${file.replace(/[^\w./[\]-]/g, '_')}`)(
		module.exports,
		require,
		module,
	);
	const exports = module.exports as EndpointModule;
	const methods = methodsOf(exports);
	if (!methods.length)
		throw new Error(`${file} exports no handler: export one of GET, POST, PUT, PATCH, DELETE, ALL (e.g. export const GET = () => new Response('ok'))`);
	if ((exports as Record<string, unknown>).getStaticPaths || (exports as Record<string, unknown>).prerender === true) {
		throw new Error(`${file} is prerendered (getStaticPaths / prerender = true): only on-demand endpoints can be installed at run time`);
	}
	return exports;
}

/** Turns an override's source text (a function expression, as a page sends it) into the function. */
export function evaluateHandler(source: string, where: string): (context: APIContext) => Response | Promise<Response> {
	let value: unknown;
	try {
		value = new Function(`"use strict";\nreturn (${source});`)();
	} catch (error) {
		throw new Error(`${where}: the handler does not compile: ${(error as Error).message}`);
	}
	if (typeof value !== 'function') throw new Error(`${where}: the handler must be a function (context) => Response, got ${typeof value}`);
	return value as (context: APIContext) => Response | Promise<Response>;
}

/** The HTTP method handlers a module exports. */
export function methodsOf(mod: object): string[] {
	return Object.keys(mod).filter((k) => /^[A-Z]+$/.test(k) && typeof (mod as Record<string, unknown>)[k] === 'function');
}

/** The layer: `use` overrides, network rules and installed endpoints, in memory. */
export function createControlLayer(options: { base?: string; onChange?: () => void } = {}) {
	const changed = options.onChange ?? (() => {});
	const base = options.base && options.base !== '/' ? options.base.replace(/\/$/, '') : '';
	let uses: UseRule[] = [];
	let network: Array<NetworkRule & { method: string; regex: RegExp }> = [];
	const installed = new Map<string, ControlledRoute>();
	/** installed routes, most specific first: longest static prefix, then fewest params */
	let installedOrder: ControlledRoute[] = [];

	/** `source`: the handler's source text, kept for hosts that persist rules (the worker). */
	function use(method: string, path: string, handler: OverrideHandler, useOptions: { once?: boolean; source?: string } = {}): void {
		if (typeof handler !== 'function' && !(handler instanceof Response)) {
			throw new TypeError(`[sw-endpoints] use(${method}, ${path}, …): the handler must be a function (context) => Response, or a Response`);
		}
		const m = normalizeMethod(method);
		const fn = typeof handler === 'function' ? handler : () => handler.clone();
		const compiled = compilePath(path);
		const mod = { [m === '*' ? 'ALL' : m]: fn } as EndpointModule;
		const entry: ControlledRoute = {
			route: path,
			type: 'endpoint',
			component: `use(${m} ${path})`,
			prerender: false,
			...compiled,
			regex: new RegExp(compiled.pattern),
			load: async () => mod,
			kind: 'override',
		};
		// The newest override wins, as MSW's server.use() prepends.
		uses = [{ method: m, entry, once: useOptions.once === true, source: useOptions.source }, ...uses];
		changed();
	}

	function setNetwork(rule: NetworkRule): void {
		const { pattern } = compilePath(rule.path);
		if (rule.delay !== undefined && !(Number.isFinite(rule.delay) && rule.delay >= 0)) {
			throw new TypeError(`[sw-endpoints] delay for ${rule.path} must be a number of ms ≥ 0, got ${rule.delay}`);
		}
		network = [{ ...rule, method: normalizeMethod(rule.method), regex: new RegExp(pattern) }, ...network];
		changed();
	}

	function install(file: string, mod: EndpointModule): ControlledRoute {
		const route = routeOfFile(file);
		const compiled = compilePath(`${base}${route}`);
		const entry: ControlledRoute = {
			route,
			type: 'endpoint',
			component: componentOf(file),
			prerender: false,
			...compiled,
			regex: new RegExp(compiled.pattern),
			load: async () => mod,
			kind: 'installed',
			methods: methodsOf(mod),
		};
		installed.set(entry.component, entry);
		installedOrder = [...installed.values()].sort((a, b) => b.prefix.length - a.prefix.length || a.params.length - b.params.length);
		return entry;
	}

	function uninstall(file: string): boolean {
		const component = componentOf(file);
		const gone = installed.delete(component);
		installedOrder = installedOrder.filter((r) => r.component !== component);
		return gone;
	}

	/** The route the layer gives a request, if it takes one: overrides first, then installed endpoints. */
	function route(method: string, pathname: string): { route: ControlledRoute; params: Record<string, string | undefined> } | undefined {
		for (const rule of uses) {
			if (!methodMatches(rule.method, method)) continue;
			const found = matchRoute([rule.entry], pathname);
			if (!found) continue;
			if (rule.once) {
				uses = uses.filter((r) => r !== rule);
				changed();
			}
			return found;
		}
		return installed.size ? matchRoute(installedOrder, pathname) : undefined;
	}

	/** The simulated network condition for a request: the newest matching delay and failure. */
	function conditions(method: string, pathname: string): { delay: number; fail: boolean } {
		let delay: number | undefined;
		let fail: boolean | undefined;
		for (const rule of network) {
			if (!methodMatches(rule.method, method) || !rule.regex.test(pathname)) continue;
			if (delay === undefined && rule.delay !== undefined) delay = rule.delay;
			if (fail === undefined && rule.fail !== undefined) {
				fail = rule.fail && (rule.times === undefined || rule.times > 0);
				if (fail && rule.times !== undefined) {
					rule.times--;
					changed();
				}
			}
		}
		return { delay: delay ?? 0, fail: fail ?? false };
	}

	/** Whether anything at run time may take a request for `pathname` (the worker asks before intercepting). */
	function claims(pathname: string): boolean {
		return (
			uses.some((r) => r.entry.regex!.test(pathname)) || network.some((r) => r.regex.test(pathname)) || installedOrder.some((r) => r.regex!.test(pathname))
		);
	}

	return {
		use,
		network: setNetwork,
		install,
		uninstall,
		route,
		conditions,
		claims,
		/** installed endpoints: file (relative to src/pages), route, methods */
		installed: () => [...installed.values()].map((r) => ({ file: pagesPath(r.component), route: r.route, methods: r.methods ?? [] })),
		/** Forgets overrides and network rules (installed endpoints are code, not state: they stay). */
		reset(): void {
			uses = [];
			network = [];
			changed();
		},
		snapshot(): RulesSnapshot {
			return {
				uses: uses
					.filter((r) => r.source !== undefined)
					.map((r) => ({ method: r.method, path: r.entry.route, source: r.source!, once: r.once }))
					.reverse(),
				network: network.map(({ regex: _, ...rule }) => rule).reverse(),
			};
		},
		/** whether any rule is active (the handler's lookup cache is bypassed then) */
		get active(): boolean {
			return uses.length > 0 || network.length > 0 || installed.size > 0;
		},
	};
}

export type ControlLayer = ReturnType<typeof createControlLayer>;
