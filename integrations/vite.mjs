// `sw-endpoints/vite`: the worker built with the app.
//
//   // vite.config.ts
//   import swEndpoints from 'sw-endpoints/vite';
//   export default { plugins: [swEndpoints()] };
//
// `vite` (dev): the worker is built in memory as a development build and served
// at `<base>sw.js`; an edit to an endpoint, the middleware, a file they import or
// the config rebuilds it, and the open page takes the new build and reloads. A
// failed build shows in Vite's overlay and terminal with its file and line, and
// the last good build keeps serving.
// `vite build`: `sw.js` and the prerendered outputs are written into Vite's
// outDir beside index.html, and Vite's own output (HTML, scripts, styles) and
// public/ are precached, so `vite preview` or any static host serves it all,
// offline after one visit.
import fs from 'node:fs';
import path from 'node:path';
import { compile, routeTableReport } from '../build.mjs';
import { KEEPS_SERVING, oneAtATime } from '../build/rebuilds.mjs';
import { CONFIG_FILES } from '../build/config.mjs';
import { contentTypeOf } from '../sw/core/content-types.js';
import { SwEndpointsError } from '../sw/core/errors.js';

/**
 * @typedef {object} SwEndpointsViteOptions
 * @property {string} [root] the sw-endpoints project, where `src/pages` is (default: Vite's `root`)
 * @property {string} [configFile] the config file (default: `sw-endpoints.config.{mjs,js,json}` in `root`)
 * @property {Record<string, unknown>} [config] config options over the file's; `base` follows Vite's `base`
 * @property {boolean} [controls] keep the run-time layer (`emulator.use`, `delay`, `fail`, `install`) in `vite build` output; `vite` dev always has it
 */

/**
 * The page-side helper `vite` dev adds to index.html: it asks for the rebuilt worker
 * at once instead of at the client's next one-second check. From a save to the new
 * worker controlling the page takes about 0.15 s; Chromium then holds the activate
 * event for one more second whenever the outgoing worker handled anything recently
 * (service_worker_registration.cc: ActivateWaitingVersion(delay) posts
 * ContinueActivation after base::Seconds(1) when reached through OnNoWork), which
 * is why an endpoint edit shows after about 1.3 s there (bench/vite.mjs).
 */
const DEV_MODULE = '/@sw-endpoints/dev';
const UPDATE_EVENT = 'sw-endpoints:update';

/**
 * The Vite plugin. No options are needed for a project whose endpoints are under `<vite root>/src/pages`.
 * @param {SwEndpointsViteOptions} [options]
 * @returns {import('vite').Plugin}
 */
export default function swEndpoints(options = {}) {
	/** @type {import('vite').ResolvedConfig} */
	let vite;
	let root = '';
	let base = '/';
	const compileOptions = () => ({
		root,
		configFile: options.configFile,
		config: { ...options.config, base: base === '/' ? '/' : base.replace(/\/$/, '') },
		logger: null,
	});

	return {
		name: 'sw-endpoints',
		// After Vite's own plugins, so its HTML is in the bundle when the worker's precache list is made.
		enforce: 'post',
		configResolved(config) {
			vite = config;
			root = path.resolve(config.root, options.root ?? '.');
			base = basePath(config.base, config.logger);
		},
		resolveId(id) {
			return id === DEV_MODULE ? `\0${DEV_MODULE}` : undefined;
		},
		load(id) {
			if (id !== `\0${DEV_MODULE}`) return undefined;
			const script = JSON.stringify(new URL(`${base}sw.js`, 'http://x').pathname);
			return `if (import.meta.hot && navigator.serviceWorker) {
	import.meta.hot.on(${JSON.stringify(UPDATE_EVENT)}, async () => {
		const script = new URL(${script}, location.href).href;
		for (const r of await navigator.serviceWorker.getRegistrations()) {
			if ((r.active ?? r.waiting ?? r.installing)?.scriptURL === script) r.update().catch(() => {});
		}
	});
}`;
		},
		transformIndexHtml: {
			order: 'pre',
			handler() {
				if (vite.command !== 'serve') return undefined;
				return [{ tag: 'script', attrs: { type: 'module', src: DEV_MODULE }, injectTo: 'head' }];
			},
		},
		async configureServer(server) {
			const dev = await devBuilds(server, root, compileOptions);
			server.middlewares.use((req, res, next) => {
				const pathname = new URL(req.url ?? '/', 'http://x').pathname;
				if (!pathname.startsWith(base)) return next();
				const name = decodeURIComponent(pathname.slice(base.length));
				const data = dev.current?.outputs[name];
				if (data === undefined) {
					// Never the SPA fallback's index.html for the worker: the browser would only say "unsupported MIME type".
					if (name !== 'sw.js') return next();
					res.statusCode = 503;
					res.setHeader('Content-Type', 'text/plain; charset=utf-8');
					res.end(`[sw-endpoints] the worker did not build: ${dev.failure?.message ?? 'the first build is still running'}`);
					return;
				}
				res.setHeader('Content-Type', name.endsWith('.map') ? 'application/json' : contentTypeOf(name));
				res.setHeader('Cache-Control', 'no-cache');
				res.end(data);
			});
		},
		async generateBundle(_output, bundle) {
			if (vite.command !== 'build' || vite.build.ssr) return;
			if (this.environment && this.environment.config.consumer !== 'client') return;
			/** @type {Array<{ url: string, data: string | Uint8Array }>} */
			const shell = [];
			for (const file of Object.values(bundle)) {
				if (file.fileName.endsWith('.map')) continue;
				shell.push({ url: file.fileName, data: file.type === 'chunk' ? file.code : file.source });
			}
			const publicDir = vite.publicDir && fs.existsSync(vite.publicDir) ? vite.publicDir : false;
			let result;
			try {
				result = await compile({
					...compileOptions(),
					minify: vite.build.minify !== false,
					controls: options.controls,
					client: false,
					publicDir,
					shell,
				});
			} catch (error) {
				if (!(error instanceof SwEndpointsError)) throw error;
				this.error(rollupError(error));
			}
			for (const [fileName, source] of Object.entries(result.outputs)) {
				if (fileName in bundle)
					this.warn(`${fileName} is written by the app and by sw-endpoints (a prerendered endpoint of the same path); the endpoint's output wins`);
				this.emitFile({ type: 'asset', fileName, source });
			}
			for (const w of result.warnings) vite.logger.warn(`[sw-endpoints] warning: ${w}`);
			vite.logger.info(routeTableReport({ ...result, out: path.resolve(vite.root, vite.build.outDir) }));
		},
	};
}

/**
 * Builds in memory on start and after each relevant change; tells the page when a new build is ready.
 * @param {import('vite').ViteDevServer} server
 * @param {string} root
 * @param {() => Parameters<typeof compile>[0]} compileOptions
 */
async function devBuilds(server, root, compileOptions) {
	const logger = server.config.logger;
	/** @type {{ current?: Awaited<ReturnType<typeof compile>>, failure?: SwEndpointsError }} */
	const state = {};
	/** Files the last good build read (endpoints, middleware, what they import), absolute. */
	let inputs = new Set();
	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let timer;
	const run = oneAtATime(async () => {
		const failed = !!state.failure;
		try {
			const previous = state.current?.outputs['sw.js'];
			state.current = await compile({ ...compileOptions(), dev: true, minify: false, client: false, publicDir: false });
			state.failure = undefined;
			inputs = new Set(Object.keys(state.current.metafile.inputs).map((f) => path.resolve(root, f)));
			for (const w of state.current.warnings) logger.warn(`[sw-endpoints] warning: ${w}`, { timestamp: true });
			if (previous === undefined) return;
			logger.info(`[sw-endpoints] worker rebuilt in ${Math.round(state.current.ms)} ms`, { timestamp: true });
			// An unchanged worker is not an update the browser sees: a page showing the overlay of the failure just fixed reloads instead.
			if (previous === state.current.outputs['sw.js']) {
				if (failed) server.ws.send({ type: 'full-reload' });
			} else server.ws.send({ type: 'custom', event: UPDATE_EVENT });
		} catch (error) {
			if (!(error instanceof SwEndpointsError)) throw error;
			state.failure = error;
			logger.error(`[sw-endpoints] ${error.message}\n[sw-endpoints] ${KEEPS_SERVING}`, { timestamp: true });
			server.ws.send({ type: 'error', err: overlayError(error) });
		}
	});
	const src = path.join(root, 'src');
	/** @param {string} file */
	const relevant = (file) => {
		if (inputs.has(file)) return true;
		if (path.dirname(file) === root && CONFIG_FILES.includes(path.basename(file))) return true;
		const rel = path.relative(src, file);
		if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
		// A new or removed page, or the middleware; or anything under src/ while the last build failed (its inputs are unknown).
		return rel.startsWith(`pages${path.sep}`) || /^middleware(\.|[\\/])/.test(rel) || !!state.failure;
	};
	server.watcher.add([src, ...CONFIG_FILES.map((f) => path.join(root, f))]);
	server.watcher.on('all', (_event, file) => {
		if (!relevant(path.resolve(file))) return;
		clearTimeout(timer);
		timer = setTimeout(() => void run(), 30);
	});
	// A page opened while the build is failing sees the failure too.
	server.ws.on('connection', () => {
		if (state.failure) server.ws.send({ type: 'error', err: overlayError(state.failure) });
	});
	await run();
	return state;
}

/**
 * The sw-endpoints path of Vite's `base`: `/` or `/docs/` (a full URL gives its path; a relative base, `./`, gives `/`).
 * @param {string} base
 * @param {import('vite').Logger} logger
 */
function basePath(base, logger) {
	if (base.startsWith('/')) return base.endsWith('/') ? base : `${base}/`;
	if (/^[a-z][a-z0-9+.-]*:/i.test(base)) return new URL(base).pathname.replace(/\/?$/, '/');
	logger.warn(
		`[sw-endpoints] warning: Vite's base is relative (${JSON.stringify(base)}): the worker is built for /; set base to the site's path, e.g. '/docs/', to serve it elsewhere`,
	);
	return '/';
}

/**
 * Vite's overlay payload for a build error, with the file and line it is about.
 * @param {SwEndpointsError} error
 * @returns {import('vite').ErrorPayload['err']}
 */
function overlayError(error) {
	return {
		message: error.message,
		stack: '',
		plugin: 'sw-endpoints',
		...(error.file ? { id: error.file, loc: { file: error.file, line: error.line ?? 1, column: error.column ?? 1 } } : {}),
	};
}

/**
 * @param {SwEndpointsError} error
 * @returns {import('vite').Rollup.RollupError}
 */
function rollupError(error) {
	return {
		message: error.message,
		code: error.code,
		...(error.file ? { id: error.file, loc: { file: error.file, line: error.line ?? 1, column: (error.column ?? 1) - 1 } } : {}),
	};
}
