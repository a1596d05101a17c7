// The project bundled for Node (the runtime and every endpoint as one ES module,
// written to a temp file): Node mode and build-time prerendering use it.
//
// The module is run as the body of a function (node:vm) instead of being import()ed,
// so that Node mode can evaluate it again, once per test (`freshModules`), without
// rebuilding it: an import() under a new URL costs 4-7 ms and keeps the module's
// whole source (~0.5 MB with its inline source map) for the rest of the process,
// since Node never unloads a module; running the compiled script again costs well
// under a millisecond, and an instance nothing refers to is garbage-collected.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { PACKAGE_ROOT, bundle, bundleForReachedFeatures, manifestSource } from './bundle.mjs';

/** What `import.meta` becomes in the bundle: the function's parameter (a script has no import.meta). */
const IMPORT_META = '__swEndpointsImportMeta';

/** esbuild's ES module output ends with one export list, then the source map comment. */
const EXPORT_LIST = /\nexport\s*\{([^}]*)\};?\n?(\/\/# sourceMappingURL=\S*\s*)?$/;

/**
 * The bundle's text as a function expression returning its exports: the export list
 * becomes an object (entry.ts exports functions and constants, so no live binding is lost),
 * and the body runs in strict mode, as a module's does. The wrapper sits on a line of its
 * own so the bundle's lines and columns stay those of the written file.
 * @param {string} text
 */
export function asFunctionSource(text) {
	const match = EXPORT_LIST.exec(text);
	if (!match) throw new Error('[sw-endpoints] the Node bundle does not end with an export list; it cannot be evaluated as a function');
	const entries = match[1]
		.split(',')
		.map((spec) => spec.trim())
		.filter(Boolean)
		.map((spec) => {
			const [local, exported = local] = spec.split(/\s+as\s+/);
			return `${JSON.stringify(exported.replace(/^"|"$/g, ''))}: ${local}`;
		});
	return `(function (${IMPORT_META}) { 'use strict';\n${text.slice(0, match.index)}\nreturn { ${entries.join(', ')} };\n${match[2] ?? ''}})`;
}

/**
 * Bundles `sw/node/entry.ts` for the analysed project and evaluates it.
 * `mod` is `any`: its exports are entry.ts's, a type build may not import (the
 * layers' arrows, tests/unit/layout.test.ts), so each user declares what it uses
 * (prerenderRoutes' PrerenderBundle; Node mode, `typeof import('./entry.ts')`).
 * `evaluate()` runs the same bundle again: a new instance of the runtime and of every
 * endpoint and middleware module (each still initialised on first use), sharing no
 * state with `mod` or any other instance.
 * @param {import('./analyze.mjs').Project} project
 * @returns {Promise<{ mod: any, evaluate(): any, dispose(): void }>}
 */
export async function loadNodeBundle(project) {
	const bundleFor = () =>
		bundle({
			root: project.root,
			entry: path.join(PACKAGE_ROOT, 'sw', 'node', 'entry.ts'),
			manifest: manifestSource({ ...project, target: 'node' }),
			format: 'esm',
			sourcemap: 'inline',
			buffer: project.features.buffer,
			define: { 'import.meta': IMPORT_META },
		});
	// A package an endpoint imports may use the session where src/ never names it (as the worker's build: build.mjs).
	const result = await bundleForReachedFeatures(project, bundleFor);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-'));
	const file = path.join(dir, 'emulator.mjs');
	const text = result.outputFiles[0].text;
	// Written out so that the file stack traces name can be opened.
	fs.writeFileSync(file, text);
	const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
	try {
		const script = new vm.Script(asFunctionSource(text), {
			filename: file,
			lineOffset: -1,
			// An import() left in endpoint code (a computed specifier) loads as it would from a module.
			importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
		});
		// What import.meta held when the bundle was import()ed from this file.
		const meta = { url: pathToFileURL(file).href, filename: file, dirname: dir };
		const evaluate = () => script.runInThisContext()(meta);
		return { mod: evaluate(), evaluate, dispose };
	} catch (error) {
		dispose();
		throw error;
	}
}
