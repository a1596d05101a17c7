// import() of a file this package wrote or found (the Node bundle, a config file).
// Vitest runs files outside node_modules (this package in its own repo, or linked
// from a workspace) through Vite's module runner, where `import()` cannot load a
// file outside the project by URL. There Node's require() is used instead: it
// loads ES modules too (Node 20.19+), except those with top-level await.
/// <reference path="./vite-runner.d.ts" />
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const viaVite = typeof __vite_ssr_dynamic_import__ === 'function';

/**
 * @param {string} file absolute path
 * @param {string | number} [version] busts Node's module cache (a config file edited in watch mode)
 */
export async function importFile(file, version) {
	if (viaVite) {
		try {
			return createRequire(import.meta.url)(file);
		} catch (error) {
			const code = error && typeof error === 'object' && 'code' in error ? error.code : undefined;
			if (code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
			throw new Error(
				`${file} uses top-level await, which Node cannot load from code that Vitest transforms (sw-endpoints is outside node_modules here). ` +
					'Add `server: { deps: { external: [/sw-endpoints/] } }` to the test config, or move the await into the handler.',
				{ cause: error },
			);
		}
	}
	const url = pathToFileURL(file).href;
	return import(version === undefined ? url : `${url}?t=${version}`);
}
