// Temp-project helpers shared by the build-time and emulator tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** The paths a built sw.js precaches: its manifest is a JSON string in a JS string literal (sw/worker/precache.ts's PrecacheManifest). */
export function precachedPaths(sw: string): string[] {
	return JSON.parse((0, eval)(/JSON\.parse\(('\{"version"(?:[^'\\]|\\.)*')\)/.exec(sw)![1])).paths.split('\n');
}

/** Files of a project, path (relative to the root) → contents. */
export type ProjectFiles = Record<string, string>;

const created: string[] = [];

/** Creates a temp directory holding `files`; it is removed after the test file finishes. */
export function makeProject(files: ProjectFiles, prefix = 'sw-endpoints-test-'): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	created.push(root);
	writeFiles(root, files);
	return root;
}

/** Writes `files` under `root`, creating folders as needed. */
export function writeFiles(root: string, files: ProjectFiles): void {
	for (const [rel, text] of Object.entries(files)) {
		const file = path.join(root, rel);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, text);
	}
}

/** A project whose src/pages holds an empty GET endpoint at each of `pages` (paths relative to src/pages). */
export function pagesProject(pages: string[], extra: ProjectFiles = {}): string {
	const files: ProjectFiles = { ...extra };
	for (const p of pages) files[`src/pages/${p}`] ??= `export const GET = () => new Response(${JSON.stringify(p)});\n`;
	return makeProject(files);
}

afterAll(() => {
	for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A logger that records instead of printing. */
export function recordingLogger() {
	const lines: Record<'log' | 'info' | 'warn' | 'error' | 'debug', string[]> = { log: [], info: [], warn: [], error: [], debug: [] };
	const rec =
		(k: keyof typeof lines) =>
		(...args: unknown[]) => {
			lines[k].push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
		};
	return { lines, log: rec('log'), info: rec('info'), warn: rec('warn'), error: rec('error'), debug: rec('debug') };
}
