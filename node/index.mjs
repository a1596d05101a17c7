// Node mode: the same handler on the same route table as the worker, in-process,
// for unit tests and tools. Endpoints load straight from src/pages (TypeScript
// included) through the same esbuild bundle the worker gets, as an ES module.
//
//   import { createEmulator } from 'sw-endpoints/node';
//   const emulator = await createEmulator({ root: 'demo' });
//   const res = await emulator.fetch('/api/posts/1');
//   await emulator.close();
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT, bundle, manifestSource } from '../bundler/bundle.mjs';
import { analyze } from '../build.mjs';

/**
 * @typedef {object} Emulator
 * @property {(input: Request | string | URL, init?: RequestInit) => Promise<Response>} fetch answers one request; relative URLs resolve against `origin`
 * @property {(response: Response) => string[]} setCookies the Set-Cookie lines of a response from `fetch`
 * @property {string} origin
 * @property {import('../bundler/routes.mjs').RouteData[]} routes the route table, in priority order
 * @property {Record<string, any>} config the resolved config
 * @property {(locals: Record<string, unknown>) => void} setLocals sets the `context.locals` every request starts with
 * @property {() => void} reset forgets sessions and default locals
 * @property {() => Promise<void>} close frees the bundle
 */

/**
 * Builds the project's endpoints in memory and returns a `fetch` that answers with them.
 * @param {{ root: string, config?: Record<string, any>, configFile?: string, origin?: string, logger?: Pick<Console, 'error' | 'warn' | 'info' | 'debug'>, clientAddress?: string }} options
 * @returns {Promise<Emulator>}
 */
export async function createEmulator(options) {
	const project = await analyze(options);
	const manifest = manifestSource(project);
	const result = await bundle({
		root: project.root,
		entry: path.join(PACKAGE_ROOT, 'sw', 'node-entry.ts'),
		manifest,
		format: 'esm',
		sourcemap: 'inline',
	});
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-'));
	const file = path.join(dir, 'emulator.mjs');
	fs.writeFileSync(file, result.outputFiles[0].text);
	const mod = await import(pathToFileURL(file).href);
	const handler = mod.create({ logger: options.logger });
	const origin = options.origin ?? 'http://localhost:4321';
	let locals = {};
	return {
		origin,
		routes: project.routes,
		config: project.config,
		fetch(input, init) {
			const request = input instanceof Request && !init ? input : new Request(new URL(String(input instanceof Request ? input.url : input), origin), init ?? (input instanceof Request ? input : undefined));
			return handler.handle(request, { clientAddress: options.clientAddress, locals: structuredClone(locals) });
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
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}
