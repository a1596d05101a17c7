// Node mode: the same handler on the same route table as the worker, in-process,
// for unit tests and tools. Endpoints load straight from src/pages (TypeScript
// included) through the same esbuild bundle the worker gets, as an ES module.
//
//   import { createEmulator } from 'sw-endpoints/node';
//   const emulator = await createEmulator({ root: 'demo' });
//   const res = await emulator.fetch('/api/posts/1');
//   await emulator.close();
import { loadNodeBundle } from '../bundler/node-bundle.mjs';
import { prerenderRoutes } from '../bundler/prerender.mjs';
import { analyze } from '../build.mjs';
import { contentTypeOf } from '../sw/content-types.js';

/**
 * @typedef {object} Emulator
 * @property {(input: Request | string | URL, init?: RequestInit) => Promise<Response>} fetch answers one request; relative URLs resolve against `origin`
 * @property {(response: Response) => string[]} setCookies the Set-Cookie lines of a response from `fetch`
 * @property {string} origin
 * @property {import('../bundler/routes.mjs').RouteData[]} routes the route table, in priority order
 * @property {Record<string, any>} config the resolved config
 * @property {(locals: Record<string, unknown>) => void} setLocals sets the `context.locals` every request starts with
 * @property {() => void} reset forgets sessions and default locals
 * @property {Array<{ path: string, body: Uint8Array }>} prerendered the prerendered outputs (path relative, like Astro's dist/client), served for GET/HEAD before the handler
 * @property {() => Promise<void>} close frees the bundle
 */

/**
 * Builds the project's endpoints in memory and returns a `fetch` that answers with them.
 * @param {{ root: string, config?: Record<string, any>, configFile?: string, origin?: string, logger?: Pick<Console, 'error' | 'warn' | 'info' | 'debug'>, clientAddress?: string }} options
 * @returns {Promise<Emulator>}
 */
export async function createEmulator(options) {
	const project = await analyze(options);
	const { mod, dispose } = await loadNodeBundle(project);
	let prerendered;
	try {
		prerendered = await prerenderRoutes(project, mod, options.logger ?? console);
	} catch (error) {
		dispose();
		throw error;
	}
	const files = staticFiles(prerendered, project.config.base);
	const handler = mod.create({ logger: options.logger });
	const origin = options.origin ?? 'http://localhost:4321';
	let locals = {};
	return {
		origin,
		routes: project.routes,
		config: project.config,
		prerendered,
		async fetch(input, init) {
			const request = input instanceof Request && !init ? input : new Request(new URL(String(input instanceof Request ? input.url : input), origin), init ?? (input instanceof Request ? input : undefined));
			return serveStatic(files, request) ?? handler.handle(request, { clientAddress: options.clientAddress, locals: structuredClone(locals) });
		},
		setLocals(value) {
			locals = structuredClone(value);
		},
		reset() {
			locals = {};
			handler.clearSessions();
		},
		setCookies: (response) => mod.getSetCookie(response),
		async close() {
			dispose();
		},
	};
}

/**
 * Prerendered outputs by the URL path a static host serves them at (under `base`).
 * @param {Array<{ path: string, body: Uint8Array }>} prerendered
 * @param {string} base
 */
function staticFiles(prerendered, base) {
	const prefix = base === '/' ? '' : base;
	return new Map(prerendered.map((f) => [`${prefix}/${f.path}`, f]));
}

/**
 * The static layer in front of the handler, as on an Astro server: GET and HEAD
 * of a prerendered file's exact path (query ignored), typed by its extension.
 * @param {Map<string, { path: string, body: Uint8Array }>} files
 * @param {Request} request
 */
function serveStatic(files, request) {
	if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
	let pathname;
	try {
		pathname = decodeURIComponent(new URL(request.url).pathname);
	} catch {
		return undefined;
	}
	const file = files.get(pathname);
	if (!file) return undefined;
	const headers = { 'content-type': contentTypeOf(file.path) };
	return new Response(request.method === 'HEAD' ? null : file.body, { headers });
}
