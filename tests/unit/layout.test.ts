// The layout's arrows (ARCHITECTURE.md): each folder may import only the layers
// listed for it, and no file imports itself back through others. Type-only
// imports and JSDoc `import('…')` types count: a type is an arrow too.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Layer of a file by its path (first match wins), and what each layer may import. */
const LAYERS: Array<[prefix: string, layer: string]> = [
	['sw/protocol/', 'protocol'],
	['sw/core/', 'core'],
	['sw/browser/', 'browser'],
	['sw/controls/', 'controls'],
	['sw/worker/', 'worker'],
	['sw/node/', 'node'],
	['sw/manifest.d.ts', 'manifest'],
	['client/', 'client'],
	['build/', 'build'],
	['build.mjs', 'build'],
	['testing/', 'testing'],
	['integrations/', 'integrations'],
	['scripts/', 'scripts'],
];
const ALLOWED: Record<string, string[]> = {
	protocol: [],
	core: [],
	browser: ['core', 'protocol'],
	controls: ['core', 'protocol'],
	worker: ['core', 'browser', 'controls', 'protocol', 'manifest'],
	node: ['core', 'browser', 'controls', 'protocol', 'manifest', 'build'],
	// the virtual module's declaration names what the build puts in it
	manifest: ['core', 'browser', 'controls', 'worker', 'protocol'],
	client: ['protocol'],
	build: ['core'],
	testing: ['build', 'node', 'protocol', 'core'],
	// integrations: hosts' plugins (Vite, Astro) over the build; Astro's preview serves the output with the static server
	integrations: ['build', 'core', 'testing'],
	scripts: ['testing', 'build'],
};

const SOURCE = /\.(ts|mts|mjs|js)$/;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;

function layerOf(file: string): string | undefined {
	return LAYERS.find(([prefix]) => file === prefix || file.startsWith(prefix))?.[1];
}

function walk(dir: string, out: string[] = []): string[] {
	for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
		const rel = path.posix.join(dir, entry.name);
		if (entry.isDirectory()) walk(rel, out);
		else if (SOURCE.test(entry.name)) out.push(rel);
	}
	return out;
}

/** Every relative import of a file, resolved to a repository path. */
function importsOf(file: string): string[] {
	const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
	return [...text.matchAll(IMPORT)].map((m) => path.posix.normalize(path.posix.join(path.posix.dirname(file), m[2])));
}

const files = [...walk('sw'), ...walk('client'), ...walk('build'), ...walk('testing'), ...walk('integrations'), ...walk('scripts'), 'build.mjs'];
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('layout', () => {
	it('finds the layers and their imports (the walk itself works)', () => {
		expect(files).toContain('sw/core/handler.ts');
		expect(graph.get('sw/worker/worker.ts')).toContain('sw/core/handler.ts');
		for (const f of files) expect(layerOf(f), f).toBeDefined();
	});

	it('every import goes to a layer its folder may import', () => {
		const forbidden: string[] = [];
		for (const [file, targets] of graph) {
			const from = layerOf(file)!;
			for (const target of targets) {
				const to = layerOf(target);
				if (to === undefined) forbidden.push(`${file} → ${target} (outside the layers)`);
				else if (to !== from && !ALLOWED[from].includes(to)) forbidden.push(`${file} → ${target} (${from} may not import ${to})`);
			}
		}
		expect(forbidden).toEqual([]);
	});

	it('no import cycles', () => {
		const cycles: string[] = [];
		const state = new Map<string, 'open' | 'done'>();
		const stack: string[] = [];
		const visit = (file: string) => {
			state.set(file, 'open');
			stack.push(file);
			for (const next of graph.get(file) ?? []) {
				if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
				else if (!state.has(next) && graph.has(next)) visit(next);
			}
			stack.pop();
			state.set(file, 'done');
		};
		for (const file of graph.keys()) if (!state.has(file)) visit(file);
		expect(cycles).toEqual([]);
	});
});
