#!/usr/bin/env node
// sw-endpoints build: bundles <root>/src/pages endpoints into one service worker.
//
//   node build.mjs --root <project> [--out <dir>] [--config <file>]
//
//   import { build } from 'sw-endpoints';
//   const result = await build({ root: 'demo' }); // → demo/dist/sw.js
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { BUILD_ID_PLACEHOLDER, PACKAGE_ROOT, bundle, bundleForReachedFeatures, manifestSource, outputFiles } from './build/bundle.mjs';
import { bundleWorker } from './build/worker-scripts.mjs';
import { analyze } from './build/analyze.mjs';
import { loadNodeBundle } from './build/node-bundle.mjs';
import { prerenderRoutes } from './build/prerender.mjs';
import { SwEndpointsError } from './sw/core/errors.js';
import { KEEPS_SERVING, oneAtATime } from './build/rebuilds.mjs';

export { SwEndpointsError, analyze };

/**
 * Where a build reports: `log` the route table, `warn` project warnings, `error` a
 * failed watch rebuild, `info` prerendering notes (an empty body writes no file);
 * prerendering passes it to the handler, whose `context.logger` uses `info`,
 * `warn`, `error` and `debug`. `console` fits.
 * @typedef {Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'>} BuildLogger
 */

/**
 * What `compile` takes besides `build`'s options: a host that serves the page itself
 * (the Vite plugin) names its own shell files and leaves public/ and the client to itself.
 * @typedef {object} HostOptions
 * @property {Array<{ url: string, data: string | Uint8Array }>} [shell] the host's own page files (HTML, scripts, styles), precached before the worker takes over
 * @property {Array<{ url: string, data: string | Uint8Array }>} [background] the host's other files (a site's pages, prerendered outputs, images), cached right after the worker takes over, in the background, as prerendered outputs are
 * @property {string | false} [publicDir] the folder whose files are precached and copied (default `<root>/public`; false: none)
 * @property {boolean} [client] emit `sw-client.js`, the page client as an ES module (default true)
 * @property {Iterable<string>} [onDemand] a host that routes and prerenders by itself (the Astro adapter) names the files under
 *   src/pages it leaves to the worker (relative to `root`): only those are answered, all on demand, and nothing is prerendered
 */

/**
 * @typedef {{ root: string, out?: string, config?: Record<string, unknown>, configFile?: string, minify?: boolean, dev?: boolean, controls?: boolean, logger?: BuildLogger | null }} BuildOptions
 * `controls`: include the run-time layer (page-driven overrides, latency, network errors, installed endpoints); default: config `controls`, else development builds only.
 */

/**
 * Builds the worker and everything it serves, in memory: `outputs` maps a path
 * relative to the output folder to its content (`sw.js`, its map, `sw-client.js`,
 * the prerendered files). Public files are listed, not read into `outputs`.
 * Throws SwEndpointsError on bad input.
 * @param {BuildOptions & HostOptions} options
 */
export async function compile(options) {
	const started = performance.now();
	const logger = options.logger === undefined ? console : options.logger;
	const quiet = { log() {}, info() {}, warn() {}, error() {}, debug() {} };
	const project = await analyze(options);
	const minify = options.minify ?? true;
	const prerendered = await prerender(project, logger ?? quiet);
	/** @type {Record<string, string | Uint8Array>} */
	const outputs = {};
	if (options.client !== false) {
		const client = await bundle({
			root: project.root,
			entry: path.join(PACKAGE_ROOT, 'client', 'index.ts'),
			manifest: '',
			format: 'esm',
			minify,
			sourcemap: 'linked',
		});
		Object.assign(outputs, outputFiles(client, 'sw-client.js'));
	}

	// The app shell and the prerendered outputs, precached by the worker under a
	// version made of their content hashes. A public file wins over a prerendered
	// one of the same path (Astro's checkPublicConflict).
	const publicDir = options.publicDir === false ? undefined : path.resolve(project.root, options.publicDir ?? 'public');
	const publicFiles = publicDir && fs.existsSync(publicDir) ? publicTree(publicDir, project.root) : [];
	const publicPaths = new Set(publicFiles);
	for (const f of prerendered) {
		if (publicPaths.has(f.path)) project.warnings.push(`public/${f.path} shadows the prerendered output of the same path`);
	}
	const emitted = prerendered.filter((f) => !publicPaths.has(f.path));
	// `shell` files (the page's own) are cached before a new build takes over from a
	// running one; everything else (and, on a first install, everything) right after,
	// in the background, so a first visit is not held up by thousands of files.
	// `path` is the URL path as a browser encodes it.
	const entry = (/** @type {string} */ url, /** @type {string | Uint8Array} */ data, /** @type {boolean} */ shell) => ({
		url,
		path: new URL(url, 'http://x/').pathname.slice(1),
		revision: hash(data),
		...(shell ? { shell } : {}),
	});
	const byUrl = (/** @type {{ url: string }} */ a, /** @type {{ url: string }} */ b) => (a.url < b.url ? -1 : 1);
	const precacheFiles = [
		...publicFiles.map((f) => entry(f, fs.readFileSync(path.join(/** @type {string} */ (publicDir), f)), true)),
		...(options.shell ?? []).filter((f) => !publicPaths.has(f.url)).map((f) => entry(f.url, f.data, true)),
		...(options.background ?? []).filter((f) => !publicPaths.has(f.url)).map((f) => entry(f.url, f.data, false)),
		...emitted.map((f) => entry(f.path, f.body, false)),
		...('sw-client.js' in outputs ? [entry('sw-client.js', outputs['sw-client.js'], true)] : []),
	].sort(byUrl);
	let precache = { version: hash(JSON.stringify(precacheFiles)), files: precacheFiles };

	const dev = options.dev ?? false;
	const controls = options.controls ?? project.config.controls ?? dev;
	if (controls && !dev) {
		project.warnings.push(
			"this production build has the controls (controls: true): any script on the site's origin can replace its endpoints with code of its own (emulator.install/use), kept for later visits of that browser until the next build. Leave them to development and test builds unless the site is a playground",
		);
	}
	const runtimeConfig =
		dev || project.config.limits.slowAfter ? project.runtimeConfig : { ...project.runtimeConfig, limits: { ...project.config.limits, slowAfter: 30_000 } };
	const bundleFor = () =>
		bundleWorker({
			root: project.root,
			routes: project.routes,
			middlewareFile: project.middlewareFile,
			manifest: (scripts) => {
				// Group scripts of endpoint code are cached like prerendered outputs: right after the worker
				// takes over, so a first visit does not wait for them (a group not cached yet is fetched; sw/worker/route-scripts.ts).
				if (scripts) {
					const files = [...precacheFiles, ...scripts.groups.map((g) => entry(g.url, g.text, false))].sort(byUrl);
					precache = { version: hash(JSON.stringify(files)), files };
				}
				return manifestSource({ ...project, runtimeConfig, target: 'worker', precache, dev, controls, scripts });
			},
			minify,
			buffer: project.features.buffer,
			// Code the controls run (`use` handlers, installed endpoints) is not scanned: it gets the cookie rules.
			cookies: project.features.cookies || controls,
		});
	// A package an endpoint imports may set cookies or use the session where src/ never names them: built again with them.
	const worker = await bundleForReachedFeatures(project, bundleFor);
	Object.assign(outputs, worker.outputs);
	// The build's identity (installed code is kept for the build it was installed under): a hash of the worker itself.
	outputs['sw.js'] = String(outputs['sw.js']).replace(JSON.stringify(BUILD_ID_PLACEHOLDER), JSON.stringify(hash(outputs['sw.js'])));
	for (const f of emitted) outputs[f.path] = f.body;
	const files = ['sw.js', 'sw-client.js']
		.filter((name) => name in outputs)
		.map((name) => ({ name, bytes: Buffer.byteLength(outputs[name]), gzip: gzipSync(outputs[name]).length }));
	// Endpoint code in group scripts (large sites): one line for them all.
	const groups = Object.keys(outputs).filter((name) => /^sw-routes\/.*\.js$/.test(name));
	if (groups.length) {
		const sum = (/** @type {(name: string) => number} */ size) => groups.reduce((total, name) => total + size(name), 0);
		files.push({
			name: `sw-routes/ (${groups.length} scripts of endpoint code)`,
			bytes: sum((name) => Buffer.byteLength(outputs[name])),
			gzip: sum((name) => gzipSync(outputs[name]).length),
		});
	}
	return { ...project, outputs, publicDir, publicFiles, files, prerendered, precache, metafile: worker.metafile, ms: performance.now() - started };
}

/**
 * Builds `<out>/sw.js` (the worker), `<out>/sw-client.js` (the page client as an ES
 * module) and copies `<root>/public` into `<out>`. Throws SwEndpointsError on bad input.
 * @param {BuildOptions} options
 */
export async function build(options) {
	const logger = options.logger === undefined ? console : options.logger;
	const root = path.resolve(options.root);
	const out = path.resolve(root, options.out ?? 'dist');
	checkOut(root, out, options.out);
	const compiled = await compile(options);
	const { outputs, publicDir, publicFiles } = compiled;

	// Write only after everything built, so a failed build leaves the last good output;
	// the worker last, so a browser checking for a new sw.js (every second in
	// development) never installs it before the files it precaches are written.
	fs.mkdirSync(out, { recursive: true });
	const write = (/** @type {string} */ name, /** @type {string | Uint8Array} */ data) => {
		fs.mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
		fs.writeFileSync(path.join(out, name), data);
	};
	for (const [name, data] of Object.entries(outputs)) if (!name.startsWith('sw.js')) write(name, data);
	// Each file's content, links followed (publicTree refused those leaving the project): a link copied as a link would point out of the build.
	for (const f of publicFiles) {
		fs.mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
		fs.copyFileSync(path.join(/** @type {string} */ (publicDir), f), path.join(out, f));
	}
	write('sw.js.map', outputs['sw.js.map']);
	write('sw.js', outputs['sw.js']);
	// Group scripts of earlier builds go: a worker of an earlier build reads its own from its cache, and
	// is replaced by this build's on the page's next update.
	const groups = path.join(out, 'sw-routes');
	if (fs.existsSync(groups)) for (const f of fs.readdirSync(groups)) if (!(`sw-routes/${f}` in outputs)) fs.rmSync(path.join(groups, f));
	const result = { ...compiled, out, worker: path.join(out, 'sw.js') };
	if (logger) {
		for (const w of compiled.warnings) logger.warn(`[sw-endpoints] warning: ${w}`);
		if (!options.out && VITE_CONFIGS.some((f) => fs.existsSync(path.join(root, f)))) {
			logger.warn(
				"[sw-endpoints] warning: this is a Vite project, and dist/ is Vite's output folder: `vite build` empties it. Add the plugin instead (import swEndpoints from 'sw-endpoints/vite'; plugins: [swEndpoints()]), which builds the worker with your app",
			);
		}
		logger.log(routeTableReport(result));
	}
	return result;
}

const VITE_CONFIGS = ['vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs'];

/**
 * Refuses an output folder the build reads from: the project itself, its public/
 * (copying public/ into itself), or src/.
 * @param {string} root
 * @param {string} out
 * @param {string | undefined} given as the user wrote it
 */
function checkOut(root, out, given) {
	const inside = (/** @type {string} */ dir) => out === dir || out.startsWith(dir + path.sep);
	const name = given ?? path.relative(process.cwd(), out);
	if (out === root) {
		throw new SwEndpointsError('InvalidOut', `--out ${name} is the project folder itself: write the build to a folder of its own, e.g. --out dist`);
	}
	for (const dir of ['public', 'src']) {
		if (!inside(path.join(root, dir))) continue;
		throw new SwEndpointsError(
			'InvalidOut',
			`--out ${name} is inside ${dir}/, which the build reads from (it would copy its own output into itself). With Vite, use the plugin (sw-endpoints/vite): it serves sw.js in \`vite dev\` and writes it beside index.html on \`vite build\`. Otherwise write to a folder of its own, e.g. --out .sw-endpoints, and serve it beside your app`,
		);
	}
}

/**
 * Runs the prerendered endpoints in Node (only when the project has some).
 * @param {Awaited<ReturnType<typeof analyze>>} project
 * @param {import('./build/prerender.mjs').PrerenderLogger} logger
 */
async function prerender(project, logger) {
	if (!project.routes.some((r) => r.type === 'endpoint' && r.prerender)) return [];
	const { mod, dispose } = await loadNodeBundle(project);
	try {
		return await prerenderRoutes(project, mod, logger);
	} finally {
		dispose();
	}
}

/**
 * The files of public/ (relative, `/` separators, sorted), links followed where
 * they stay inside the project; a link out of it (or to nothing) fails the build,
 * since copying it would publish files from elsewhere on the machine.
 * @param {string} dir
 * @param {string} root the project
 * @returns {string[]}
 */
function publicTree(dir, root) {
	const inside = (/** @type {string} */ target, /** @type {string} */ base) => target === base || target.startsWith(base + path.sep);
	const realRoot = fs.realpathSync(root);
	/** @type {string[]} */
	const files = [];
	const seen = new Set();
	/** @param {string} folder */
	const walk = (folder) => {
		const real = fs.realpathSync(folder);
		if (seen.has(real)) return; // a link back up the tree
		seen.add(real);
		for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
			const full = path.join(folder, entry.name);
			let isDirectory = entry.isDirectory();
			if (entry.isSymbolicLink()) {
				let target;
				try {
					target = fs.realpathSync(full);
				} catch {
					throw new SwEndpointsError(
						'BrokenLink',
						`${path.relative(root, full)} is a link to nothing (${fs.readlinkSync(full)}): remove it or point it at a file in the project`,
					);
				}
				if (!inside(target, realRoot)) {
					throw new SwEndpointsError(
						'LinkOutsideProject',
						`${path.relative(root, full)} links to ${target}, outside the project: the build would publish it. Copy what the site needs into public/, or remove the link`,
					);
				}
				isDirectory = fs.statSync(target).isDirectory();
			}
			if (isDirectory) walk(full);
			else if (fs.statSync(full).isFile()) files.push(path.relative(dir, full).split(path.sep).join('/'));
		}
	};
	walk(dir);
	return files.sort();
}

/** @param {string | Uint8Array} data */
function hash(data) {
	return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

/**
 * The table printed at the end of a build, as Astro prints its routes.
 * @param {{ root: string, routes: import('./build/routes.mjs').RouteData[], out: string, files: Array<{ name: string, bytes: number, gzip: number }>, ms: number }} result
 */
export function routeTableReport(result) {
	const rows = result.routes.map((r) => [
		r.type === 'redirect' ? '↪' : r.prerender ? '▶' : 'λ',
		r.route,
		r.type === 'redirect' ? `→ ${r.redirect?.destination}` : r.component,
	]);
	const width = Math.max(5, ...rows.map((r) => r[1].length));
	const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} kB`;
	return [
		'',
		` routes (${result.routes.length})   λ on demand   ▶ prerendered   ↪ redirect`,
		...rows.map(([kind, route, file]) => `  ${kind} ${route.padEnd(width)}  ${file}`),
		'',
		...result.files.map((f) => `  ${path.relative(process.cwd(), path.join(result.out, f.name))}  ${kb(f.bytes)} (${kb(f.gzip)} gzip)`),
		`  built in ${Math.round(result.ms)} ms`,
		'',
	].join('\n');
}

/**
 * Development builds on every change under `<root>/src` and `<root>/public` (and
 * to the config file): the worker takes over by itself and open pages reload.
 * A failed build is printed and leaves the last good output serving.
 * @param {Parameters<typeof build>[0] & { onBuild?: (result: Awaited<ReturnType<typeof build>>) => void }} options
 * @returns {Promise<{ close(): void }>}
 */
export async function watch(options) {
	const logger = options.logger === undefined ? console : options.logger;
	const root = path.resolve(options.root);
	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let timer;
	const run = oneAtATime(async () => {
		try {
			const result = await build({ ...options, dev: true });
			options.onBuild?.(result);
		} catch (error) {
			if (!(error instanceof SwEndpointsError)) throw error;
			logger?.error(`[sw-endpoints] ${error.message}\n[sw-endpoints] ${KEEPS_SERVING}`);
		}
	});
	await run();
	const schedule = () => {
		clearTimeout(timer);
		timer = setTimeout(() => void run(), 80);
	};
	const watchers = ['src', 'public']
		.map((d) => path.join(root, d))
		.filter((d) => fs.existsSync(d))
		.map((d) => fs.watch(d, { recursive: true }, schedule));
	watchers.push(fs.watch(root, (_event, name) => (String(name).startsWith('sw-endpoints.config.') ? schedule() : undefined)));
	logger?.log(`[sw-endpoints] watching ${path.relative(process.cwd(), root) || '.'}/src and public/ for changes`);
	return {
		close() {
			clearTimeout(timer);
			for (const w of watchers) w.close();
		},
	};
}

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {Record<string, string | boolean>} */
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--help' || a === '-h') args.help = true;
		else if (a === '--version' || a === '-v') args.version = true;
		else if (a === '--watch') args.watch = true;
		else if (a === '--no-minify') args.minify = false;
		else if (a === '--controls') args.controls = true;
		else if (['--root', '--out', '--config'].includes(a)) {
			const v = argv[++i];
			if (!v || v.startsWith('--')) throw new SwEndpointsError('InvalidArguments', `${a} needs a value, e.g. ${a} ./my-project`);
			args[a.slice(2)] = v;
		} else throw new SwEndpointsError('InvalidArguments', `unknown argument "${a}"; run with --help for usage`);
	}
	return args;
}

const USAGE = `usage: sw-endpoints --root <project> [--out <dir>] [--config <file>] [--no-minify] [--controls] [--watch]
       sw-endpoints --version | --help

Bundles <project>/src/pages/**/*.{ts,js} endpoints into <out>/sw.js (default <project>/dist).
--watch rebuilds (as a development build) whenever src/ or public/ changes.
--controls keeps the run-time layer (emulator.use/delay/fail/install) in a production build (development builds have it).
With Vite, use the plugin instead (import swEndpoints from 'sw-endpoints/vite'): it builds the worker with the app.
Config: --config <file> (JSON or JS module, relative to the current folder), else sw-endpoints.config.{mjs,js,json} in <project>.`;

async function main() {
	try {
		const args = parseArgs(process.argv.slice(2));
		if (args.help) {
			console.log(USAGE);
			return;
		}
		if (args.version) {
			console.log(JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version);
			return;
		}
		const options = {
			root: String(args.root ?? '.'),
			out: typeof args.out === 'string' ? args.out : undefined,
			configFile: typeof args.config === 'string' ? args.config : undefined,
			minify: args.minify !== false,
			controls: args.controls === true ? true : undefined,
		};
		if (args.watch) await watch(options);
		else await build(options);
	} catch (error) {
		if (error instanceof SwEndpointsError) {
			console.error(`[sw-endpoints] ${error.message}`);
			process.exitCode = 1;
		} else throw error;
	}
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
