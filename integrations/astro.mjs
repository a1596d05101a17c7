// `sw-endpoints/astro`: an Astro adapter whose on-demand endpoints answer from a
// service worker in the visitor's browser, so the built site needs only a static host.
//
//   // astro.config.mjs
//   import { defineConfig } from 'astro/config';
//   import swEndpoints from 'sw-endpoints/astro';
//   export default defineConfig({ adapter: swEndpoints() });
//
// `astro build` writes the site as usual into the client output folder
// (`dist/client/`): pages, prerendered endpoints, assets. The adapter adds `sw.js`
// (with `sw-routes/` and source maps), built by sw-endpoints from the site's
// on-demand endpoints (`prerender = false`, or every endpoint not prerendered under
// `output: 'server'`), `src/middleware.*`, sessions and cookies, with the site's
// `base`, `trailingSlash`, `site`, `redirects`, `security.checkOrigin`,
// `build.format` and `session` options. Every page gets a script that registers the
// worker (`import { emulator } from 'sw-endpoints:emulator'` gives it to a page's own
// script). The files Astro wrote stay as they are: the worker precaches them and
// answers them with the same bytes. Pages rendered on demand fail the build, naming
// each file: a worker answers endpoints only.
// `astro dev` is Astro's own: its dev server answers the endpoints; the adapter gives
// it an in-memory session driver and registers no worker (it retires one that an
// earlier `astro preview` left on the same origin).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile, routeTableReport } from '../build.mjs';
import { SwEndpointsError } from '../sw/core/errors.js';

/**
 * The parts of Astro 7's integration API this adapter uses (astro/dist/types/public/integrations.d.ts),
 * typed here so the package type-checks without Astro installed.
 * @typedef {{ info(message: string): void, warn(message: string): void, error(message: string): void }} AstroLogger
 * @typedef {object} AstroConfigSubset
 * @property {URL} root
 * @property {URL} srcDir
 * @property {URL} publicDir
 * @property {string} base
 * @property {string | undefined} site
 * @property {'always' | 'never' | 'ignore'} trailingSlash
 * @property {Record<string, string | { status: number, destination: string }>} redirects
 * @property {{ checkOrigin?: boolean }} security
 * @property {{ format: 'directory' | 'file' | 'preserve', assets: string }} build
 * @property {false | { driver?: unknown, cookie?: string | Record<string, unknown>, ttl?: number } | undefined} session
 * @typedef {{ entrypoint: string, pattern: string, isPrerendered: boolean, origin: 'internal' | 'external' | 'project', type: 'page' | 'endpoint' | 'redirect' | 'fallback' }} ResolvedRoute
 */

/**
 * @typedef {object} SwEndpointsAstroOptions
 * @property {boolean} [controls] keep the run-time controls (`emulator.use`, `delay`, `fail`, `install`) in the built worker: for playgrounds and test builds, never a public site
 * @property {Record<string, number>} [limits] sw-endpoints' request bounds (`bodySize`, `headerSize`, `sessionSize`, `slowAfter`, `timeout`), which Astro has no options for
 */

const NAME = 'sw-endpoints';
/** The module every built page imports: it starts the worker and exports the promise of it. */
export const EMULATOR_MODULE = 'sw-endpoints:emulator';
/** The page client, compiled (scripts/package.mjs): a path, so it resolves whatever the site's node_modules layout. */
const CLIENT = fileURLToPath(new URL('../dist/client.js', import.meta.url));

/**
 * An Astro integration as `defineConfig({ adapter })` takes it. Its hooks are typed loosely here
 * (each hook's own parameter types are below) so that the package needs no Astro types and the
 * value fits the `AstroIntegration` of whichever Astro 7 the site has.
 * @typedef {{ name: string, hooks: Record<`astro:${string}`, (options: any) => void | Promise<void>> }} AstroAdapterIntegration
 */

/**
 * The adapter. `output: 'static'` (Astro's default) serves the endpoints marked
 * `export const prerender = false`; `output: 'server'` every endpoint not marked `prerender = true`.
 * @param {SwEndpointsAstroOptions} [options]
 * @returns {AstroAdapterIntegration}
 */
export default function swEndpoints(options = {}) {
	/** @type {AstroConfigSubset} */
	let config;
	/** @type {ResolvedRoute[]} */
	let routes = [];
	return {
		name: NAME,
		hooks: {
			/** @param {{ config: AstroConfigSubset, command: string, updateConfig(config: Record<string, unknown>): unknown, injectScript(stage: string, content: string): void, logger: AstroLogger }} params */
			'astro:config:setup': async ({ config: astroConfig, command: cmd, updateConfig, injectScript, logger }) => {
				/** @type {Record<string, unknown>} */
				const update = { vite: { plugins: [emulatorModule(cmd, siteBase(astroConfig.base))] } };
				// Astro's dev server answers the endpoints there, and needs a session driver for `context.session`;
				// the built worker keeps sessions in the browser's IndexedDB and uses none.
				if (astroConfig.session !== false && !astroConfig.session?.driver) {
					update.session = { driver: await memoryDriver(astroConfig.root) };
					if (cmd === 'dev') logger.info('astro dev keeps sessions in memory (the built worker keeps them in the browser)');
				}
				updateConfig(update);
				injectScript('page', `import ${JSON.stringify(EMULATOR_MODULE)};`);
			},
			/** @param {{ routes: ResolvedRoute[] }} params */
			'astro:routes:resolved': ({ routes: resolved }) => {
				routes = resolved;
			},
			/** @param {{ config: AstroConfigSubset, setAdapter(adapter: Record<string, unknown>): void, injectTypes(file: { filename: string, content: string }): unknown }} params */
			'astro:config:done': ({ config: astroConfig, setAdapter, injectTypes }) => {
				config = astroConfig;
				setAdapter(adapter());
				injectTypes({ filename: 'emulator.d.ts', content: EMULATOR_TYPES });
			},
			/** @param {{ server: { middlewares: { use(handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void): void } } }} params */
			'astro:server:setup': ({ server }) => {
				const script = `${siteBase(config.base)}sw.js`;
				if (fs.existsSync(path.join(fileURLToPath(config.publicDir), 'sw.js'))) return;
				server.middlewares.use((req, res, next) => {
					if (new URL(req.url ?? '/', 'http://x').pathname !== script) return next();
					res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
					res.end(RETIRING_WORKER);
				});
			},
			// Before Astro builds anything: what the worker cannot serve fails at once.
			'astro:build:start': () => checkBuildable(config, routes),
			/** @param {{ dir: URL, logger: AstroLogger }} params */
			'astro:build:done': async ({ dir, logger }) => {
				const out = fileURLToPath(dir);
				const root = fileURLToPath(config.root);
				const onDemand = onDemandEndpoints(routes);
				const result = await compile({
					root,
					config: {
						...workerConfig(config, routes),
						errorPages: errorPages(routes, out, config.base),
						...(options.limits ? { limits: options.limits } : {}),
					},
					onDemand,
					...siteFiles(out, config.build.assets),
					publicDir: false,
					client: false,
					controls: options.controls,
					logger: null,
				});
				const served = new Set(result.routes.map((r) => r.component));
				const missed = onDemand.filter((file) => !served.has(file));
				if (missed.length) {
					throw new SwEndpointsError(
						'UnsupportedEndpoint',
						`${missed.join(', ')}: Astro answers ${missed.length === 1 ? 'this endpoint' : 'these endpoints'} on demand, and sw-endpoints serves .ts and .js endpoints only: rename ${missed.length === 1 ? 'it' : 'them'} to .ts or .js, or prerender ${missed.length === 1 ? 'it' : 'them'} (export const prerender = true)`,
					);
				}
				for (const name of Object.keys(result.outputs)) {
					if (fs.existsSync(path.join(out, name))) {
						throw new SwEndpointsError(
							'OutputConflict',
							`${path.relative(root, path.join(out, name))} was written by the site (a file in public/ or a page of that path) and is the service worker's: rename the site's file`,
						);
					}
				}
				// The worker last, as build() writes it: a browser never installs it before the files it precaches.
				const names = Object.keys(result.outputs).sort((a, b) => Number(a === 'sw.js') - Number(b === 'sw.js'));
				for (const name of names) {
					fs.mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
					fs.writeFileSync(path.join(out, name), result.outputs[name]);
				}
				for (const w of result.warnings) logger.warn(w);
				for (const line of routeTableReport({ ...result, out }).split('\n')) if (line.trim()) logger.info(line);
			},
		},
	};
}

/**
 * The site's prerendered 404 and 500 pages, as URL paths: what Astro answers a 404 of an
 * endpoint (no handler for the method) and a thrown error with, from the file it wrote
 * (the Node adapter's prerenderedErrorPageFetch reads `404.html` or `404/index.html`).
 * @param {ResolvedRoute[]} routes
 * @param {string} out the client output folder
 * @param {string} base
 * @returns {{ 404?: string, 500?: string }}
 */
export function errorPages(routes, out, base) {
	/** @type {{ 404?: string, 500?: string }} */
	const pages = {};
	for (const status of /** @type {const} */ ([404, 500])) {
		if (!routes.some((r) => r.pattern === `/${status}` && r.isPrerendered)) continue;
		const file = [`${status}.html`, `${status}/index.html`].find((f) => fs.existsSync(path.join(out, f)));
		if (file) pages[status] = siteBase(base) + file;
	}
	return pages;
}

/** The adapter as Astro's `setAdapter` takes it. */
function adapter() {
	return {
		name: NAME,
		// Astro's server build needs an entry point; the adapter's exports nothing (astro-server.mjs): the worker is the server.
		entrypointResolution: 'auto',
		serverEntrypoint: fileURLToPath(new URL('./astro-server.mjs', import.meta.url)),
		previewEntrypoint: fileURLToPath(new URL('./astro-preview.mjs', import.meta.url)),
		adapterFeatures: { buildOutput: 'server' },
		supportedAstroFeatures: {
			staticOutput: 'stable',
			hybridOutput: 'stable',
			serverOutput: {
				support: 'limited',
				message:
					'sw-endpoints answers on-demand endpoints, middleware, sessions and cookies from a service worker in the browser; pages rendered on demand, server islands and actions need a server adapter',
				suppress: 'default',
			},
			// Images of prerendered pages are made at build time; only on-demand pages (refused) would use /_image.
			sharpImageService: 'stable',
			envGetSecret: 'unsupported',
			i18nDomains: 'unsupported',
		},
	};
}

/**
 * What `astro dev` serves at `<base>sw.js`. A worker that an earlier `astro preview` of the site
 * registered on the same origin would go on answering pages and endpoints with the built files;
 * the browser's update check on the next navigation installs this one instead, which unregisters
 * itself and reloads its pages, so Astro's dev server answers them.
 */
const RETIRING_WORKER = `// sw-endpoints: the built site's worker is retired under astro dev.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			await self.registration.unregister();
			for (const client of await self.clients.matchAll({ type: 'window' })) client.navigate(client.url);
		})(),
	);
});
`;

/** What `import { emulator } from 'sw-endpoints:emulator'` gives a page's script (Astro adds it to the site's types). */
const EMULATOR_TYPES = `declare module '${EMULATOR_MODULE}' {
	/** The worker, once it controls this page (after \`astro build\`); \`null\` under \`astro dev\`, where Astro's dev server answers the endpoints. */
	export const emulator: Promise<import('sw-endpoints/client').Emulator | null>;
}
`;

/**
 * Astro's `base` as a path with both slashes: `/`, `/docs/`.
 * @param {string} base
 */
export function siteBase(base) {
	const trimmed = base.replace(/^\/+|\/+$/g, '');
	return trimmed ? `/${trimmed}/` : '/';
}

/**
 * The Vite plugin behind `sw-endpoints:emulator`: in a build, the page client started
 * with the worker at `<base>sw.js`; under `astro dev`, `null`, after unregistering a
 * worker of this site that an earlier `astro preview` on the same origin left (it would
 * answer the endpoints with the built code).
 * @param {string} command
 * @param {string} base
 */
function emulatorModule(command, base) {
	const resolved = `\0${EMULATOR_MODULE}`;
	const start = { url: `${base}sw.js`, scope: base };
	return {
		name: 'sw-endpoints:emulator',
		/** @param {string} id */
		resolveId: (id) => (id === EMULATOR_MODULE ? resolved : undefined),
		/** @param {string} id */
		load(id) {
			if (id !== resolved) return undefined;
			if (command === 'build') {
				return `import { startEmulator } from ${JSON.stringify(CLIENT)};
export const emulator = startEmulator(${JSON.stringify(start)});
emulator.catch((error) => console.error(error));
`;
			}
			return `export const emulator = Promise.resolve(null);
if ('serviceWorker' in navigator) {
	const script = new URL(${JSON.stringify(start.url)}, location.href).href;
	navigator.serviceWorker.getRegistrations().then(async (registrations) => {
		let removed = false;
		for (const r of registrations) if ((r.active ?? r.waiting ?? r.installing)?.scriptURL === script) removed = (await r.unregister()) || removed;
		if (removed && navigator.serviceWorker.controller?.scriptURL === script) {
			console.info('[sw-endpoints] removed the worker of a built version of this site, so that astro dev answers the endpoints: reloading');
			location.reload();
		}
	});
}
`;
		},
	};
}

/**
 * Astro's memory session driver, from the Astro the site runs (resolved from its root).
 * @param {URL} root
 */
async function memoryDriver(root) {
	const entry = createRequire(new URL('package.json', root)).resolve('astro/config');
	const { sessionDrivers } = await import(pathToFileURL(entry).href);
	return sessionDrivers.memory();
}

/**
 * Fails the build on what a worker cannot serve: pages rendered on demand, Astro actions,
 * and a `srcDir` other than `src/` (sw-endpoints reads `src/pages` and `src/middleware.*`).
 * @param {AstroConfigSubset} config
 * @param {ResolvedRoute[]} routes
 */
export function checkBuildable(config, routes) {
	const root = fileURLToPath(config.root);
	if (path.relative(root, fileURLToPath(config.srcDir)) !== 'src') {
		throw new SwEndpointsError(
			'UnsupportedSrcDir',
			`srcDir is ${fileURLToPath(config.srcDir)}: sw-endpoints reads the endpoints from src/pages and the middleware from src/middleware.*; move them there and remove the srcDir option`,
		);
	}
	if (routes.some((r) => r.pattern === '/_actions/[...path]' && !r.isPrerendered)) {
		throw new SwEndpointsError(
			'ActionsUnsupported',
			'this site has Astro actions (src/actions), which need a server: sw-endpoints answers endpoints only. Turn each action into an endpoint under src/pages, or build with a server adapter such as @astrojs/node',
		);
	}
	const pages = routes.filter((r) => r.origin === 'project' && r.type === 'page' && !r.isPrerendered);
	if (!pages.length) return;
	throw new SwEndpointsError(
		'OnDemandPage',
		`${pages.length === 1 ? 'this page is' : 'these pages are'} rendered on demand, which a service worker cannot do (sw-endpoints answers endpoints only):\n` +
			pages.map((r) => `  ${r.entrypoint} (${r.pattern})\n`).join('') +
			"Prerender each: remove `export const prerender = false`, or under output: 'server' add `export const prerender = true`. " +
			"Or, to render pages on demand, build with a server adapter such as @astrojs/node (adapter: node({ mode: 'standalone' }))",
	);
}

/**
 * The endpoint files Astro answers on demand (relative to the root, as Astro names them).
 * @param {ResolvedRoute[]} routes
 */
export function onDemandEndpoints(routes) {
	return routes.filter((r) => r.origin === 'project' && r.type === 'endpoint' && !r.isPrerendered).map((r) => r.entrypoint);
}

/**
 * sw-endpoints' config from Astro's: the options both have, with only the redirects Astro answers
 * on demand (prerendered ones are pages Astro wrote).
 * @param {AstroConfigSubset} config
 * @param {ResolvedRoute[]} routes
 */
export function workerConfig(config, routes) {
	const onDemand = new Set(routes.filter((r) => r.type === 'redirect' && !r.isPrerendered).map((r) => r.pattern));
	const session = config.session;
	return {
		output: 'server',
		site: config.site,
		base: config.base,
		trailingSlash: config.trailingSlash,
		redirects: Object.fromEntries(Object.entries(config.redirects ?? {}).filter(([from]) => onDemand.has(from))),
		security: { checkOrigin: config.security?.checkOrigin ?? true },
		build: { format: config.build.format },
		session: session === false ? false : { cookie: session?.cookie, ttl: session?.ttl },
	};
}

/**
 * The files Astro wrote to the client folder, for the worker to precache (source maps left out):
 * the scripts and styles of `build.assets` (`_astro/`) before the worker takes over, so every page
 * it serves has them; the pages, prerendered endpoints, images and public files right after, in the
 * background, so a large site does not hold up the first visit.
 * @param {string} dir
 * @param {string} assets the assets folder, `_astro`
 */
export function siteFiles(dir, assets) {
	/** @type {{ shell: Array<{ url: string, data: Uint8Array }>, background: Array<{ url: string, data: Uint8Array }> }} */
	const files = { shell: [], background: [] };
	const prefix = `${assets.replace(/^\/+|\/+$/g, '')}/`;
	/** @param {string} folder */
	const walk = (folder) => {
		for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
			const file = path.join(folder, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (entry.isFile() && !entry.name.endsWith('.map')) {
				const url = path.relative(dir, file).split(path.sep).join('/');
				const shell = url.startsWith(prefix) && /\.(?:m?js|css)$/.test(url);
				files[shell ? 'shell' : 'background'].push({ url, data: fs.readFileSync(file) });
			}
		}
	};
	walk(dir);
	return files;
}
