// A method handler exported in lowercase (`export const get`) builds, but Astro only
// calls uppercase method exports: the build warns with the file and line, and so does
// Node mode when an emulator starts.
import { describe, expect, it } from 'vitest';
import { build } from '../../build.mjs';
import { codeOnly, exportedNames, methodExportWarnings, scanPages } from '../../build/routes.mjs';
import { createEmulator } from '../../sw/node/emulator.mjs';
import { makeProject, recordingLogger } from './helpers.ts';

const FILE = 'src/pages/api/x.ts';
const warnings = (source: string) => methodExportWarnings(source, FILE);

describe('methodExportWarnings', () => {
	it('names the file, the line and the uppercase name', () => {
		const source = `import type { APIRoute } from 'astro';\n\nexport const get: APIRoute = () => new Response('hi');\n`;
		expect(warnings(source)).toEqual([
			'src/pages/api/x.ts:3 exports "get"; Astro only calls uppercase method exports, so this handler never runs: rename it to GET',
		]);
	});

	it.each([
		['export const post = () => new Response();', 'post', 'POST'],
		['export let put = () => new Response();', 'put', 'PUT'],
		['export var patch = () => new Response();', 'patch', 'PATCH'],
		['export function all() { return new Response(); }', 'all', 'ALL'],
		['export async function get() { return new Response(); }', 'get', 'GET'],
		['export const del = () => new Response();', 'del', 'DELETE'],
		['const remove = () => new Response();\nexport { remove as delete };', 'delete', 'DELETE'],
		['const h = () => new Response();\nexport { h as get, h as GET_ALL };', 'get', 'GET'],
		['export { get } from "./_shared";', 'get', 'GET'],
		['export const Get = () => new Response();', 'Get', 'GET'],
		['export const options = () => new Response();', 'options', 'OPTIONS'],
	])('%s → %s should be %s', (source, name, method) => {
		expect(warnings(source)).toEqual([
			expect.stringContaining(`exports "${name}"; Astro only calls uppercase method exports, so this handler never runs: rename it to ${method}`),
		]);
	});

	it('warns for each lowercase export, each on its own line', () => {
		const source = ['const a = () => new Response();', 'export {', '\ta as get,', '\ta as post,', '};', '', 'export function put() {}'].join('\n');
		expect(warnings(source).map((w) => w.split(' ')[0])).toEqual([`${FILE}:3`, `${FILE}:4`, `${FILE}:7`]);
	});

	it('does not warn for uppercase exports or other names', () => {
		const source = [
			'export const GET = () => new Response();',
			'export async function POST() { return new Response(); }',
			'const h = () => new Response();',
			'export { h as PUT, h as DELETE, h as ALL };',
			'export const getStaticPaths = () => [];',
			'export const prerender = false;',
			'export const getter = 1, posted = 2;',
			'export function getAll() {}',
			'const all = [];',
			'const get = (key) => all[key];',
		].join('\n');
		expect(warnings(source)).toEqual([]);
	});

	it('does not warn for a lowercase alias of an uppercase export (the handler runs)', () => {
		expect(warnings('export const GET = () => new Response();\nexport const get = GET;\n')).toEqual([]);
	});

	it('does not warn for type-only exports', () => {
		expect(warnings('type get = string;\nexport type { get };\nexport { type get as post };\n')).toEqual([]);
	});

	it('does not read comments, strings, templates or regular expressions', () => {
		const source = [
			'// export const get = () => new Response();',
			'/* old API:',
			'   export function post() {}',
			'*/',
			"const help = 'export const get = ...';",
			'const doc = "export { h as put }";',
			'const tpl = `',
			'  export const patch = () => {}',
			'`;',
			'const re = /export const all/;',
			'const half = 10 / 2; // export const get',
			'export const GET = () => new Response(help + doc + tpl + re + half); // not `export const get`',
		].join('\n');
		expect(warnings(source)).toEqual([]);
		expect(exportedNames(source)).toEqual([{ name: 'GET', line: 12 }]);
	});

	it('keeps offsets and lines when blanking', () => {
		const source = "const a = 'x\\'y'; /* c\nc */ const b = `t\n${1}`; // z\nexport const get = 1;";
		const code = codeOnly(source);
		expect(code).toHaveLength(source.length);
		expect(code.split('\n')).toHaveLength(source.split('\n').length);
		expect(code).not.toMatch(/['`]|\/\*|\/\/|\$\{/);
		expect(warnings(source)[0]).toMatch(/^src\/pages\/api\/x\.ts:4 exports "get"/);
	});

	it('a division is not taken for a regular expression', () => {
		const source = 'const n = 4 / 2;\nexport const get = () => new Response(String(n / 1));\nconst s = "/";\n';
		expect(exportedNames(source)).toEqual([{ name: 'get', line: 2 }]);
	});
});

describe('the warning where it is printed', () => {
	const files = {
		'src/pages/api/hello.ts': "export const GET = () => new Response('hi');\n",
		'src/pages/api/legacy.ts': "// Astro 2 style\n\nexport const get = () => new Response('never');\n",
	};
	const expected = 'src/pages/api/legacy.ts:3 exports "get"; Astro only calls uppercase method exports, so this handler never runs: rename it to GET';

	it('scanPages adds it to the project warnings, with the project-relative file', () => {
		expect(scanPages(makeProject(files), { trailingSlash: 'ignore', output: 'server' }).warnings).toEqual([expected]);
	});

	it('build() prints it as a warning', async () => {
		const logger = recordingLogger();
		await build({ root: makeProject(files), logger });
		expect(logger.lines.warn).toContain(`[sw-endpoints] warning: ${expected}`);
	});

	it('createEmulator prints it once per logger, and the endpoint is indeed not called', async () => {
		const root = makeProject(files);
		const logger = recordingLogger();
		const first = await createEmulator({ root, logger });
		const second = await createEmulator({ root, logger });
		try {
			expect(logger.lines.warn).toEqual([`[sw-endpoints] warning: ${expected}`]);
			expect((await first.fetch('/api/legacy')).status).toBe(404);
		} finally {
			await first.close();
			await second.close();
		}
	});
});
