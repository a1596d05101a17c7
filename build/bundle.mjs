// esbuild bundling of the runtime plus every endpoint module: a classic-script
// service worker (`sw.js`) or an ES module for Node mode. The route table goes in
// as a virtual module, so the worker starts with data ready to use.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { SwEndpointsError } from '../sw/core/errors.js';
import { contentTypeOf, extensionOf } from '../sw/core/content-types.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const requireFromHere = createRequire(import.meta.url);
/** The package root (holds sw/, client/). */
export const PACKAGE_ROOT = path.resolve(HERE, '..');
/** The runtime's sources. */
export const SW_DIR = path.join(PACKAGE_ROOT, 'sw');
const MIDDLEWARE_FILES = ['src/middleware.ts', 'src/middleware.js', 'src/middleware/index.ts', 'src/middleware/index.js'];

/**
 * The middleware file of a project, as Vite would resolve `<srcDir>/middleware`.
 * @param {string} root
 */
export function findMiddleware(root) {
	return MIDDLEWARE_FILES.map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
}

/**
 * Which optional runtime parts a project's sources can reach (and Buffer): the session
 * runtime (and devalue) when some file under `<root>/src` mentions `session`, as
 * Astro tree-shakes it; the cookie jar when one mentions `cookie` (or sessions,
 * whose cookie it carries). A worker without them is smaller and never waits
 * on cookie storage. The packages endpoints import are read once bundled (reachedFeatures).
 * @param {string} root
 * @param {{ session: unknown }} config
 */
export function runtimeFeatures(root, config) {
	const src = path.join(root, 'src');
	const texts = fs.existsSync(src)
		? fs
				.readdirSync(src, { recursive: true, withFileTypes: true })
				.filter((e) => e.isFile() && /\.[cm]?[jt]s$/.test(e.name))
				.map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
		: [];
	const sessions = config.session !== false && texts.some((t) => /\bsession\b/.test(t));
	// Node's Buffer global for endpoint code that uses it; libraries that only probe
	// for it (`typeof Buffer`) must not pull the polyfill in, so only src/ decides.
	const buffer = texts.some((t) => /\bBuffer\b/.test(t));
	return { sessions, cookies: sessions || texts.some((t) => /cookie/i.test(t)), buffer };
}

/**
 * `features` widened by the modules a bundle reached outside src/ (the packages endpoints
 * import): a library that sets cookies or uses the session (an auth library's handler, say)
 * needs the jar and the session runtime as much as a source file that names them, or its
 * cookies would be dropped. Undefined when nothing changes. `Buffer` stays src/'s decision.
 * @param {string} root the bundle's working directory (metafile paths are relative to it)
 * @param {import('esbuild').Metafile} metafile
 * @param {{ sessions: boolean, cookies: boolean, buffer: boolean }} features
 * @param {{ session: unknown }} config
 */
export function reachedFeatures(root, metafile, features, config) {
	if (features.cookies && (features.sessions || config.session === false)) return undefined;
	const src = path.join(root, 'src') + path.sep;
	const texts = Object.keys(metafile.inputs)
		.map((input) => path.resolve(root, input))
		.filter((file) => !file.startsWith(src) && !file.startsWith(SW_DIR + path.sep) && fs.existsSync(file))
		.map((file) => fs.readFileSync(file, 'utf8'));
	const sessions = features.sessions || (config.session !== false && texts.some((t) => /\bsession\b/.test(t)));
	const cookies = features.cookies || sessions || texts.some((t) => /cookie/i.test(t));
	return sessions === features.sessions && cookies === features.cookies ? undefined : { ...features, sessions, cookies };
}

/**
 * Runs `bundleFor()`, then again where the modules it reached widen the project's features
 * (reachedFeatures), which it updates; returns the last bundle. The worker's and Node's builds share it.
 * @template {{ metafile: import('esbuild').Metafile }} T
 * @param {{ root: string, features: { sessions: boolean, cookies: boolean, buffer: boolean }, config: { session: unknown } }} project
 * @param {() => Promise<T>} bundleFor bundles with `project.features` as they are when it is called
 * @returns {Promise<T>}
 */
export async function bundleForReachedFeatures(project, bundleFor) {
	const first = await bundleFor();
	const reached = reachedFeatures(project.root, first.metafile, project.features, project.config);
	if (!reached) return first;
	project.features = reached;
	return bundleFor();
}

/**
 * @typedef {{ groups: Array<{ url: string, text: string, shared: string[], routes: number[] }>, shared: Record<string, string> }} RouteGroups
 * `groups[n].routes`: indices into the route table, `text` the script; `shared`: key → absolute file of each module of sw.js that group code imports.
 */

/** What `buildId` holds in a bundle until the build writes the worker's content hash over it. */
export const BUILD_ID_PLACEHOLDER = 'sw-endpoints-bid';

/**
 * The worker's precache manifest (sw/worker/precache.ts): the files' paths as one
 * sorted string, the page's own among them, and the content type of each extension they
 * have (the worker carries these, not the whole table of sw/core/content-types.js).
 * @param {{ version: string, files: Array<{ path: string, shell?: boolean }> }} precache
 */
function workerPrecache({ version, files }) {
	/** @type {Record<string, string>} */
	const types = {};
	for (const { path } of files) {
		const type = contentTypeOf(path);
		if (type !== 'application/octet-stream') types[extensionOf(path)] = type;
	}
	// Sorted by code unit, as the worker's binary search over the string compares them.
	return {
		version,
		paths: files
			.map((f) => f.path)
			.sort()
			.join('\n'),
		shell: files.filter((f) => f.shell).map((f) => f.path),
		types,
	};
}

/**
 * Source of the virtual `sw-endpoints:manifest` module.
 * The worker's manifest leaves prerendered modules out (their outputs are files)
 * and lists the files to precache; Node mode's keeps every module, for prerendering.
 * `scripts`: the worker's endpoint groups in scripts of their own, and the modules of sw.js they import (build/worker-scripts.mjs).
 * @param {{ routes: import('./routes.mjs').RouteData[], runtimeConfig: import('../sw/core/handler.ts').HandlerConfig, middlewareFile?: string, features: { sessions: boolean, cookies: boolean, buffer?: boolean }, target: 'worker' | 'node', precache?: { version: string, files: Array<{ url: string, path: string, revision: string, shell?: boolean }> }, dev?: boolean, controls?: boolean, scripts?: RouteGroups }} project
 */
export function manifestSource({ routes, runtimeConfig, middlewareFile, features, target, precache, dev = false, controls = dev, scripts }) {
	const from = (/** @type {string} */ file) => JSON.stringify(path.join(SW_DIR, file));
	const rows = routes.map(({ route, type, component, pattern, params, prefix, prerender, redirect }) =>
		type === 'redirect'
			? { route, type, component, pattern, params, prefix, prerender, redirect }
			: { route, type, component, pattern, params, prefix, prerender },
	);
	// A dynamic import() of a bundled file becomes a lazy, synchronous module
	// init in esbuild's output: modules evaluate on first use, never import() at run time.
	// In builds whose endpoint code is in scripts of its own (build/worker-scripts.mjs), the
	// loaders of those endpoints are set from the groups (data, not code), by routeScripts.
	const inGroup = new Set(scripts?.groups.flatMap((g) => g.routes));
	const loaders = routes.flatMap((r, i) =>
		!inGroup.has(i) && r.file && (target === 'node' || !r.prerender) ? [`${i}: () => import(${JSON.stringify(r.file)})`] : [],
	);
	return [
		// The table is JSON text: V8 parses JSON.parse('…') much faster than the same
		// object literals, and the worker restarts often (patterns compile lazily).
		`const table = JSON.parse(${JSON.stringify(JSON.stringify(rows))});`,
		`const loaders = {\n${loaders.join(',\n')}\n};`,
		'for (const i in loaders) table[i].load = loaders[i];',
		// Several params in one segment: a linear test runs before the pattern, which backtracks on a long near-miss.
		...(routes.some((r) => /\[[^/\]]+\][^/]*\[/.test(r.route))
			? [
					`import { nearMissCheck } from ${from('core/near-miss.ts')};`,
					'for (const r of table) { const check = nearMissCheck(r.route, r.pattern); if (check) r.check = check; }',
				]
			: []),
		...(scripts
			? [
					`import { routeScripts } from ${from('worker/route-scripts.ts')};`,
					// Group code's `Buffer` (build/worker-scripts.mjs) is this bundle's polyfill.
					...(features.buffer ? ['self.__sweBuffer = Buffer;'] : []),
					`routeScripts(table, JSON.parse(${JSON.stringify(JSON.stringify(scripts.groups.map(({ url, shared, routes }) => ({ url, shared, routes }))))}), {\n${Object.entries(
						scripts.shared,
					)
						.map(([key, file]) => `${JSON.stringify(key)}: () => import(${JSON.stringify(file)})`)
						.join(',\n')}\n});`,
				]
			: []),
		'export const routes = table;',
		`export const config = ${JSON.stringify(runtimeConfig)};`,
		`export const precache = JSON.parse(${JSON.stringify(JSON.stringify(workerPrecache(precache ?? { version: 'none', files: [] })))});`,
		`export const dev = ${dev};`,
		// Stands for the worker's own content hash, written over it once the worker is built (build.mjs): same length, so the source map holds.
		`export const buildId = ${JSON.stringify(BUILD_ID_PLACEHOLDER)};`,
		// The controls (use/delay/fail/seed/install from the page) only where asked: they are a fifth of a small worker.
		controls ? `export { createControls } from ${from('controls/controls.ts')};` : 'export const createControls = undefined;',
		// Request records for the page's log: development and test builds only.
		dev || controls ? `export { requestRecord } from ${from('controls/records.ts')};` : 'export const requestRecord = undefined;',
		middlewareFile ? `export const middleware = () => import(${JSON.stringify(middlewareFile)});` : 'export const middleware = undefined;',
		// The site's prerendered error pages (the Astro adapter's config) only where it has them.
		target === 'worker' && Object.keys(runtimeConfig.errorPages ?? {}).length
			? `export { createErrorPages } from ${from('core/prerendered-pages.ts')};`
			: 'export const createErrorPages = undefined;',
		features.sessions ? `export { AstroSession as Session } from ${from('core/session.ts')};` : 'export const Session = undefined;',
		features.cookies
			? `export { createClientState } from ${from('browser/state.ts')};\nexport { createPageCookies } from ${from('browser/page-cookies.ts')};`
			: `export { createLocalsState as createClientState } from ${from('browser/locals-state.ts')};\nexport const createPageCookies = undefined;`,
	].join('\n');
}

/**
 * For a worker whose code never mentions cookies (`cookies: false`): the runtime's
 * Astro cookie rules are replaced by sw/core/no-cookies.ts, which sets none.
 * @type {esbuild.Plugin}
 */
const withoutCookies = {
	name: 'sw-endpoints-without-cookies',
	setup(b) {
		const core = path.join(SW_DIR, 'core');
		b.onResolve({ filter: /^\.\/cookies\.ts$/ }, (args) =>
			args.importer.startsWith(core + path.sep) ? { path: path.join(core, 'no-cookies.ts') } : undefined,
		);
	},
};

/**
 * Resolves the virtual modules and Astro's specifiers for user code.
 * @param {string} manifest source of sw-endpoints:manifest
 * @param {string} root
 * @returns {esbuild.Plugin}
 */
function virtualModules(manifest, root) {
	return {
		name: 'sw-endpoints',
		setup(b) {
			b.onResolve({ filter: /^sw-endpoints:manifest$/ }, () => ({ path: 'manifest', namespace: 'sw-endpoints' }));
			b.onLoad({ filter: /.*/, namespace: 'sw-endpoints' }, () => ({ contents: manifest, resolveDir: root, loader: 'js' }));
			// Resolve the polyfill from this package, whatever the project has installed.
			b.onResolve({ filter: /^buffer$/ }, (args) => (args.importer.endsWith('buffer-global.ts') ? { path: requireFromHere.resolve('buffer/') } : undefined));
			// The package's compiled middleware helpers are this same source: bundle it once, from here.
			b.onResolve({ filter: /^astro:middleware$|^sw-endpoints\/middleware$/ }, () => ({ path: path.join(SW_DIR, 'core', 'middleware.ts') }));
			// Endpoints import types from 'astro'; the real package must never be bundled into a worker.
			b.onResolve({ filter: /^astro$/ }, () => ({ path: path.join(SW_DIR, 'core', 'astro.ts') }));
			b.onResolve({ filter: /^astro:/ }, (args) => ({
				errors: [
					{
						text: `"${args.path}" is not available in sw-endpoints; only astro:middleware is (imported by ${path.relative(root, args.importer)})`,
					},
				],
			}));
		},
	};
}

/**
 * Converts esbuild's failure into one error naming each file and line.
 * @param {esbuild.BuildFailure} failure
 * @param {string} root
 */
function buildError(failure, root) {
	const messages = failure.errors.map((e) => {
		const loc = e.location;
		const where = loc ? `${path.relative(root, path.resolve(root, loc.file)) || loc.file}:${loc.line}:${loc.column + 1}` : '';
		return `${where ? `${where}: ` : ''}${e.text}${loc?.lineText ? `\n    ${loc.lineText.trim()}` : ''}`;
	});
	const first = failure.errors[0]?.location;
	return new SwEndpointsError('BuildFailed', `build failed:\n${messages.join('\n')}`, {
		file: first ? path.resolve(root, first.file) : undefined,
		line: first?.line,
		column: first ? first.column + 1 : undefined,
		cause: failure,
	});
}

/**
 * Bundles `entry` with the manifest: `iife` for the worker, `esm` for Node mode.
 * `plugins` run before the package's own; `esbuildOptions` (several entry points,
 * their names, no injected globals) go over the defaults.
 * @param {{ root: string, entry: string | Record<string, string>, manifest: string, format: 'iife' | 'esm', minify?: boolean, sourcemap?: boolean | 'inline' | 'external' | 'linked', define?: Record<string, string>, buffer?: boolean, cookies?: boolean, plugins?: esbuild.Plugin[], esbuildOptions?: esbuild.BuildOptions }} options
 */
export async function bundle({
	root,
	entry,
	manifest,
	format,
	minify = false,
	sourcemap = false,
	define,
	buffer = false,
	cookies = true,
	plugins = [],
	esbuildOptions,
}) {
	try {
		const result = await esbuild.build({
			entryPoints: typeof entry === 'string' ? [entry] : entry,
			bundle: true,
			write: false,
			format,
			platform: 'browser',
			target: 'es2022',
			minify,
			sourcemap,
			outfile: path.join(root, 'dist', format === 'iife' ? 'sw.js' : 'emulator.mjs'),
			inject: [path.join(SW_DIR, 'core', 'response.ts'), ...(buffer ? [path.join(SW_DIR, 'core', 'buffer-global.ts')] : [])],
			plugins: [...plugins, ...(cookies ? [] : [withoutCookies]), virtualModules(manifest, root)],
			absWorkingDir: root,
			legalComments: 'none',
			logLevel: 'silent',
			metafile: true,
			define,
			...esbuildOptions,
		});
		// write: false and metafile: true, whatever esbuildOptions holds.
		return /** @type {esbuild.BuildResult & { outputFiles: esbuild.OutputFile[], metafile: esbuild.Metafile }} */ (result);
	} catch (failure) {
		if (failure && typeof failure === 'object' && 'errors' in failure) {
			throw buildError(/** @type {esbuild.BuildFailure} */ (failure), root);
		}
		throw failure;
	}
}

/**
 * A bundle's file and its source map, by output name (the map link renamed to match).
 * @param {import('esbuild').BuildResult & { outputFiles: import('esbuild').OutputFile[] }} result
 * @param {string} name
 * @returns {Record<string, string>}
 */
export function outputFiles(result, name) {
	/** @type {Record<string, string>} */
	const files = {};
	for (const file of result.outputFiles) {
		if (file.path.endsWith('.map')) files[`${name}.map`] = file.text;
		else files[name] = file.text.replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${name}.map`);
	}
	return files;
}
