// Loads and checks the project config. Option names are Astro's where Astro has
// one (output, site, base, trailingSlash, redirects, security.checkOrigin,
// build.format, session); defaults follow Astro except `output` (see DEFAULTS).
import fs from 'node:fs';
import path from 'node:path';
import { SwEndpointsError } from '../sw/core/errors.js';
import { importFile } from './import-file.mjs';

/**
 * The project config after defaults and validation (resolveConfig).
 * @typedef {object} ResolvedConfig
 * @property {'static' | 'server'} output
 * @property {string | undefined} site
 * @property {string} base always starts with `/` and has no trailing `/` (except `/` itself)
 * @property {'always' | 'never' | 'ignore'} trailingSlash
 * @property {Record<string, string | { status: number, destination: string }>} redirects
 * @property {{ checkOrigin: boolean }} security
 * @property {{ format: 'directory' | 'file' | 'preserve' }} build
 * @property {import('../sw/core/session.ts').SessionConfig | false} session
 * @property {boolean} [controls] keep the controls in production builds
 * @property {{ 404?: string, 500?: string }} [errorPages] URL paths of prerendered error pages the worker answers with, as Astro does for a prerendered `src/pages/404` and `500` (the Astro adapter sets them)
 * @property {{ bodySize: number, headerSize: number, sessionSize: number, slowAfter?: number, timeout: number }} limits request bounds: sizes in bytes, times in ms (sw/core/limits.ts); `slowAfter` unset: 10 s in development builds and Node mode, 30 s in production builds
 */

/** Config file names looked up in the project root, in order, when no --config is given. */
export const CONFIG_FILES = ['sw-endpoints.config.mjs', 'sw-endpoints.config.js', 'sw-endpoints.config.json'];

/**
 * Defaults. `output` is `'server'`: sw-endpoints emulates an on-demand server, so
 * every endpoint answers at request time unless it opts in with
 * `export const prerender = true` (or the project sets `output: 'static'`,
 * Astro's own default, to prerender all endpoints without `prerender = false`).
 */
export const DEFAULTS = Object.freeze({
	output: 'server',
	site: undefined,
	base: '/',
	trailingSlash: 'ignore',
	redirects: {},
	security: { checkOrigin: true },
	build: { format: 'directory' },
	session: {},
	// Node's http server (so Astro's Node adapter) answers 431 past 16 KiB of request
	// line and headers; bodies get 413 past 64 MiB (Node itself has no bound).
	// A request still unanswered after `timeout` ms gets 504, well before browsers stop a
	// worker busy with one event (5 minutes in Chromium).
	limits: { bodySize: 64 * 1024 * 1024, headerSize: 16 * 1024, sessionSize: 1024 * 1024, timeout: 60_000 },
});

/**
 * Reads the config (`configFile`, else the first of CONFIG_FILES in `root`) and
 * merges `inline` over it.
 * @param {string} root
 * @param {{ configFile?: string, inline?: Record<string, unknown> }} [options]
 */
export async function loadConfig(root, { configFile, inline } = {}) {
	let file = configFile ? path.resolve(configFile) : CONFIG_FILES.map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
	/** @type {Record<string, any>} */
	let fromFile = {};
	if (configFile && !fs.existsSync(/** @type {string} */ (file))) {
		throw new SwEndpointsError('ConfigNotFound', `config file ${configFile} does not exist (looked in ${root})`, { file });
	}
	if (file) {
		try {
			if (file.endsWith('.json')) fromFile = JSON.parse(fs.readFileSync(file, 'utf8'));
			else {
				const mod = await importFile(file, fs.statSync(file).mtimeMs);
				fromFile = mod.default ?? mod;
			}
		} catch (cause) {
			throw new SwEndpointsError(
				'InvalidConfig',
				`${path.relative(process.cwd(), file)}: could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`,
				{ file, cause },
			);
		}
	}
	return resolveConfig({ ...fromFile, ...(inline ?? {}) }, file);
}

/**
 * Fills defaults and validates; errors name the option and the accepted values.
 * @param {Record<string, any>} user as written (a config file's export or JSON, inline options): any shape until checked here
 * @param {string} [file] where the values came from, for messages
 * @returns {ResolvedConfig}
 */
export function resolveConfig(user, file) {
	const where = file ? path.basename(file) : 'config';
	/** @type {(msg: string) => never} */
	const fail = (msg) => {
		throw new SwEndpointsError('InvalidConfig', `${where}: ${msg}`, { file });
	};
	// The user's values, unchecked until the tests below (each fails or passes a field).
	/** @type {Record<string, any>} */
	const c = {
		...DEFAULTS,
		...user,
		security: { ...DEFAULTS.security, ...(user.security ?? {}) },
		build: { ...DEFAULTS.build, ...(user.build ?? {}) },
		limits: { ...DEFAULTS.limits, ...(user.limits ?? {}) },
	};
	if (!['static', 'server'].includes(c.output)) fail(`output must be 'static' or 'server', got ${JSON.stringify(c.output)}`);
	if (!['always', 'never', 'ignore'].includes(c.trailingSlash)) {
		fail(`trailingSlash must be 'always', 'never' or 'ignore', got ${JSON.stringify(c.trailingSlash)}`);
	}
	if (!['directory', 'file', 'preserve'].includes(c.build.format)) {
		fail(`build.format must be 'directory', 'file' or 'preserve', got ${JSON.stringify(c.build.format)}`);
	}
	if (c.site !== undefined) {
		try {
			new URL(c.site);
		} catch {
			fail(`site must be an absolute URL such as 'https://example.com', got ${JSON.stringify(c.site)}`);
		}
	}
	if (typeof c.base !== 'string') fail(`base must be a path such as '/docs', got ${JSON.stringify(c.base)}`);
	c.base = `/${c.base.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '/');
	if (c.redirects === null || typeof c.redirects !== 'object') fail('redirects must be an object of { "/from": "/to" }');
	if (typeof c.security.checkOrigin !== 'boolean') fail('security.checkOrigin must be true or false');
	if (c.session !== false && (c.session === null || typeof c.session !== 'object')) {
		fail('session must be false or an object such as { cookie: "sid", ttl: 3600 }');
	}
	if (c.session && c.session.cookie !== undefined) {
		const name = typeof c.session.cookie === 'string' ? c.session.cookie : c.session.cookie?.name;
		if (name !== undefined && !/^[\w-]+$/.test(name)) fail(`session.cookie name ${JSON.stringify(name)} must match /^[\w-]+$/`);
	}
	if (c.session && c.session.ttl !== undefined && typeof c.session.ttl !== 'number') fail('session.ttl must be a number of seconds');
	for (const [name, unit] of [
		['bodySize', 'bytes'],
		['headerSize', 'bytes'],
		['sessionSize', 'bytes'],
		['slowAfter', 'ms'],
		['timeout', 'ms'],
	]) {
		const v = c.limits[name];
		if (v === undefined && name === 'slowAfter') continue;
		if (!Number.isSafeInteger(v) || v <= 0) fail(`limits.${name} must be a whole number of ${unit} above 0, got ${JSON.stringify(v)}`);
	}
	for (const [status, url] of Object.entries(c.errorPages ?? {})) {
		if ((status !== '404' && status !== '500') || typeof url !== 'string' || !url.startsWith('/'))
			fail(`errorPages maps 404 and 500 to URL paths of prerendered pages (e.g. { 404: '/404.html' }), got ${JSON.stringify({ [status]: url })}`);
	}
	if (c.controls !== undefined && typeof c.controls !== 'boolean') {
		fail(
			`controls must be true or false (run-time overrides and installed endpoints in the worker; default: development builds only), got ${JSON.stringify(c.controls)}`,
		);
	}
	return /** @type {ResolvedConfig} */ (c);
}
