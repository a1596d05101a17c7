// The project bundled for Node (the runtime and every endpoint as one ES module,
// written to a temp file and imported): Node mode and build-time prerendering use it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT, bundle, manifestSource } from './bundle.mjs';
import { importFile } from './import-file.mjs';

/**
 * Bundles and imports `sw/node/entry.ts` for the analysed project.
 * `mod` is `any`: its exports are entry.ts's, a type build may not import (the
 * layers' arrows, tests/unit/layout.test.ts), so each user declares what it uses
 * (prerenderRoutes' PrerenderBundle; Node mode, `typeof import('./entry.ts')`).
 * @param {import('./analyze.mjs').Project} project
 * @returns {Promise<{ mod: any, dispose(): void }>}
 */
export async function loadNodeBundle(project) {
	const result = await bundle({
		root: project.root,
		entry: path.join(PACKAGE_ROOT, 'sw', 'node', 'entry.ts'),
		manifest: manifestSource({ ...project, target: 'node' }),
		format: 'esm',
		sourcemap: 'inline',
		buffer: project.features.buffer,
	});
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-'));
	const file = path.join(dir, 'emulator.mjs');
	fs.writeFileSync(file, result.outputFiles[0].text);
	const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
	try {
		return { mod: await importFile(file), dispose };
	} catch (error) {
		dispose();
		throw error;
	}
}
