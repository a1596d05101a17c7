#!/usr/bin/env node
// `npm run package` (also run by `prepare` and `npm test`): what the published
// package needs besides its plain JavaScript sources, in dist/:
//   dist/client.js, dist/middleware.js   the TypeScript entry points, compiled (browser ES modules)
//   dist/types/**                        declarations for every entry point (tsc), with
//                                        import paths a consumer's compiler resolves
// package.json "exports" points at these; "files" ships them.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const TYPES = path.join(DIST, 'types');

/** TypeScript entry points compiled for the browser (and bundlers): dependencies stay imports. */
const COMPILED = { client: 'client/index.ts', middleware: 'sw/core/middleware.ts' };

/** Declarations written by hand (their sources are JavaScript that tsc cannot describe better), copied beside the generated ones. */
const HAND_WRITTEN = ['testing/playwright.d.mts', 'sw/manifest.d.ts'];

/**
 * Rewrites relative `.ts` import paths in a declaration file to `.js`: the
 * declarations sit where the compiled files would, and a consumer's compiler
 * (bundler or node16 resolution) maps `x.js` to `x.d.ts`. A path left as `.ts`
 * would make it compile our sources under its own options.
 * @param {string} text
 */
export function consumerPaths(text) {
	return text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+?)\.ts\2/g, '$1$2$3.js$2');
}

/** @param {string} dir @returns {string[]} */
function walk(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export async function buildPackage() {
	fs.rmSync(DIST, { recursive: true, force: true });
	await esbuild.build({
		entryPoints: Object.fromEntries(Object.entries(COMPILED).map(([name, file]) => [name, path.join(ROOT, file)])),
		outdir: DIST,
		bundle: true,
		format: 'esm',
		platform: 'browser',
		target: 'es2022',
		packages: 'external',
		logLevel: 'warning',
	});
	const tsc = spawnSync(
		process.execPath,
		[path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'scripts', 'package.tsconfig.json')],
		{
			stdio: 'inherit',
		},
	);
	if (tsc.status !== 0) throw new Error('declarations: tsc failed (see above)');
	for (const file of HAND_WRITTEN) {
		fs.mkdirSync(path.dirname(path.join(TYPES, file)), { recursive: true });
		fs.copyFileSync(path.join(ROOT, file), path.join(TYPES, file));
	}
	for (const file of walk(TYPES)) {
		const text = fs.readFileSync(file, 'utf8');
		// The virtual module keeps a name of its own in the package, so its declaration never merges with a checkout's sw/manifest.d.ts.
		const fixed = consumerPaths(text).replaceAll("'sw-endpoints:manifest'", "'sw-endpoints:package-manifest'");
		// Endpoints import their types from 'astro', which the build maps to our own; a declaration must never need Astro installed.
		if (/from\s*['"]astro['"]|import\(\s*['"]astro['"]\s*\)/.test(fixed))
			throw new Error(`${path.relative(ROOT, file)} imports 'astro': declarations must not need Astro`);
		// The build's virtual module is declared in manifest.d.ts, which no import names: reference it where it is used.
		const manifest = /['"]sw-endpoints:package-manifest['"]/.test(fixed) && !file.endsWith('manifest.d.ts');
		const reference = manifest ? `/// <reference path="${path.relative(path.dirname(file), path.join(TYPES, 'sw', 'manifest.d.ts'))}" />\n` : '';
		if (fixed !== text || reference) fs.writeFileSync(file, reference + fixed);
	}
	// `sw-endpoints` is the build API plus the endpoint types, importable without Astro.
	fs.writeFileSync(
		path.join(TYPES, 'index.d.ts'),
		"export * from './build.mjs';\nexport type { APIContext, APIRoute, GetStaticPaths, MiddlewareHandler, MiddlewareNext } from './sw/core/astro.js';\n",
	);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const started = performance.now();
	await buildPackage();
	console.log(`[sw-endpoints] package built into dist/ in ${Math.round(performance.now() - started)} ms`);
}
