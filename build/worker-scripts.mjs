// The worker's files: `sw.js`, and in builds with many endpoints, their code in
// scripts of its own (`sw-routes/<n>-<hash>.js`, groups of ROUTES_PER_SCRIPT), which
// the worker caches at install with the page's files and compiles on first use
// (sw/worker/route-scripts.ts).
// A restarted worker then compiles sw.js, whose size does not grow with the
// endpoints' code, and the one group a request needs.
//
// What goes where follows the module graph (a first esbuild pass): a module only
// one endpoint reaches goes in that endpoint's group; one that several endpoints
// or the middleware reach, and the package's runtime, stays in sw.js, once, and
// group code reads it from there, so module state is never duplicated.
import path from 'node:path';
import { SW_DIR, bundle, outputFiles } from './bundle.mjs';

/** From this many on-demand endpoint modules, their code goes in scripts of its own. */
export const SPLIT_FROM = 100;
/** Endpoint modules per group script: few enough that a request compiles little, many enough that install imports few scripts. */
export const ROUTES_PER_SCRIPT = 50;

/**
 * Bundles the worker: `outputs` (file name → text), and esbuild's metafile of all its scripts.
 * @param {{ root: string, routes: import('./routes.mjs').RouteData[], middlewareFile?: string, manifest: (scripts?: import('./bundle.mjs').RouteGroups) => string, minify: boolean, buffer: boolean, cookies: boolean }} options
 */
export async function bundleWorker({ root, routes, middlewareFile, manifest, minify, buffer, cookies }) {
	const onDemand = routes.flatMap((r, index) => (r.file && !r.prerender ? [{ file: path.resolve(root, r.file), index }] : []));
	const scripts = onDemand.length >= SPLIT_FROM ? await groupRoutes(root, onDemand, middlewareFile) : undefined;
	const groups = scripts ? await bundleGroups(root, scripts, { minify, buffer }) : { outputs: {}, names: [], inputs: {}, metafileOutputs: {} };
	const main = await bundle({
		root,
		entry: path.join(SW_DIR, 'worker', 'worker.ts'),
		manifest: manifest(
			scripts && { ...scripts, groups: scripts.groups.map((g, n) => ({ ...g, url: groups.names[n], text: groups.outputs[groups.names[n]] })) },
		),
		format: 'iife',
		minify,
		sourcemap: 'linked',
		buffer,
		cookies,
	});
	const outputs = { ...groups.outputs, ...outputFiles(main, 'sw.js') };
	return { outputs, metafile: { inputs: { ...groups.inputs, ...main.metafile.inputs }, outputs: { ...groups.metafileOutputs, ...main.metafile.outputs } } };
}

/**
 * Which endpoints go in which group, and which modules stay in sw.js.
 * @param {string} root
 * @param {Array<{ file: string, index: number }>} onDemand
 * @param {string | undefined} middlewareFile
 * @returns {Promise<{ groups: Array<{ shared: string[], routes: number[], files: string[] }>, shared: Record<string, string> }>}
 */
async function groupRoutes(root, onDemand, middlewareFile) {
	const endpoints = new Set(onDemand.map((r) => r.file));
	const files = [...endpoints, ...(middlewareFile ? [path.resolve(root, middlewareFile)] : [])];
	const analysis = await bundle({
		root,
		entry: Object.fromEntries(files.map((f, i) => [`m${i}`, f])),
		manifest: '',
		format: 'esm',
		esbuildOptions: { outfile: undefined, outdir: path.join(root, '.sw-endpoints-analysis'), inject: [], minify: false, sourcemap: false },
	});
	/** @type {Map<string, string[]>} module → what it imports (absolute) */
	const graph = new Map();
	for (const [input, { imports }] of Object.entries(analysis.metafile.inputs)) {
		graph.set(
			path.resolve(root, input),
			imports.filter((i) => !i.external).map((i) => path.resolve(root, i.path)),
		);
	}
	const isRuntime = (/** @type {string} */ file) => file.startsWith(SW_DIR + path.sep);
	/** The modules `file` reaches without passing a module `stop` accepts (`inside`, itself included), and those it stops at (`edge`). */
	const walk = (/** @type {string} */ file, /** @type {(file: string) => boolean} */ stop) => {
		const inside = new Set([file]);
		const edge = new Set();
		for (const f of inside) for (const next of graph.get(f) ?? []) (stop(next) ? edge : inside).add(next);
		return { inside, edge };
	};
	/** @type {Map<string, number>} */
	const reachedBy = new Map();
	for (const file of endpoints) for (const m of walk(file, isRuntime).inside) reachedBy.set(m, (reachedBy.get(m) ?? 0) + 1);
	const shared = new Set([...reachedBy].filter(([, n]) => n > 1).map(([m]) => m));
	if (middlewareFile) for (const m of walk(path.resolve(root, middlewareFile), isRuntime).inside) shared.add(m);
	const isShared = (/** @type {string} */ file) => isRuntime(file) || shared.has(file);
	// An endpoint module another endpoint imports stays in sw.js, loaded as before.
	const split = onDemand.filter((r) => !isShared(r.file));
	// Keys name a module the same on every machine: the package's own by their place in it.
	const keyOf = (/** @type {string} */ file) =>
		(isRuntime(file) ? `sw-endpoints/${path.relative(SW_DIR, file)}` : path.relative(root, file)).split(path.sep).join('/');
	/** @type {Record<string, string>} */
	const sharedFiles = {};
	const groups = [];
	for (let start = 0; start < split.length; start += ROUTES_PER_SCRIPT) {
		const members = split.slice(start, start + ROUTES_PER_SCRIPT);
		// The shared modules the group's own code imports.
		const used = new Set(members.flatMap(({ file }) => [...walk(file, isShared).edge]));
		for (const f of used) sharedFiles[keyOf(f)] = f;
		groups.push({ shared: [...used].map(keyOf).sort(), routes: members.map((r) => r.index), files: members.map((r) => r.file) });
	}
	return { groups, shared: sharedFiles };
}

/**
 * Bundles each group into `sw-routes/<n>-<hash>.js`: its endpoints' loaders plus the
 * modules only they reach; imports of shared modules read sw.js's copy.
 * @param {string} root
 * @param {{ groups: Array<{ shared: string[], routes: number[], files: string[] }>, shared: Record<string, string> }} scripts
 * @param {{ minify: boolean, buffer: boolean }} options
 */
async function bundleGroups(root, { groups, shared }, { minify, buffer }) {
	const sharedKeys = new Map(Object.entries(shared).map(([key, file]) => [file, key]));
	/** @type {import('esbuild').Plugin} */
	const plugin = {
		name: 'sw-endpoints-groups',
		setup(b) {
			b.onResolve({ filter: /^sw-endpoints-group:/ }, (args) => ({ path: args.path.slice('sw-endpoints-group:'.length), namespace: 'sw-endpoints-group' }));
			b.onLoad({ filter: /.*/, namespace: 'sw-endpoints-group' }, (args) => {
				const n = Number(args.path);
				const loaders = groups[n].routes.map((index, i) => `${index}: () => import(${JSON.stringify(groups[n].files[i])})`);
				return { contents: `self.__sweRoutes[${n}] = {\n${loaders.join(',\n')}\n};`, resolveDir: root, loader: 'js' };
			});
			// A module of sw.js, imported from group code: its namespace, as sw.js loaded it.
			b.onResolve({ filter: /.*/ }, async (args) => {
				if (args.pluginData?.resolving || args.namespace !== 'file' || args.kind === 'entry-point') return undefined;
				const resolved = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { resolving: true } });
				if (resolved.errors.length) return { errors: resolved.errors };
				const file = resolved.path;
				if (file.startsWith(SW_DIR + path.sep) && !sharedKeys.has(file)) {
					return { errors: [{ text: `${path.relative(root, file)} is not in sw.js for endpoint code (imported by ${path.relative(root, args.importer)})` }] };
				}
				return sharedKeys.has(file) ? { path: /** @type {string} */ (sharedKeys.get(file)), namespace: 'sw-endpoints-shared' } : resolved;
			});
			b.onLoad({ filter: /.*/, namespace: 'sw-endpoints-shared' }, (args) => ({
				contents: `module.exports = self.__sweShared(${JSON.stringify(args.path)});`,
				loader: 'js',
			}));
		},
	};
	const result = await bundle({
		root,
		entry: Object.fromEntries(groups.map((_, n) => [`sw-routes/${n}`, `sw-endpoints-group:${n}`])),
		manifest: '',
		format: 'iife',
		minify,
		sourcemap: 'linked',
		plugins: [plugin],
		// Group code's `Response` is sw.js's injected one (Set-Cookie lines kept beside it), and its `Buffer` sw.js's polyfill.
		define: { Response: 'self.__sweResponse', ...(buffer ? { Buffer: 'self.__sweBuffer' } : {}) },
		esbuildOptions: { outfile: undefined, outdir: path.join(root, 'dist'), entryNames: '[dir]/[name]-[hash]', inject: [] },
	});
	/** @type {Record<string, string>} */
	const outputs = {};
	/** @type {string[]} */
	const names = [];
	for (const file of result.outputFiles) {
		const name = path.relative(path.join(root, 'dist'), file.path).split(path.sep).join('/');
		outputs[name] = file.text;
		if (!name.endsWith('.map')) names[Number(/^sw-routes\/(\d+)-/.exec(name)?.[1])] = name;
	}
	return { outputs, names, inputs: result.metafile.inputs, metafileOutputs: result.metafile.outputs };
}
