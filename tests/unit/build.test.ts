// build() and the CLI end to end on temp projects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, build } from '../../build.mjs';
import { createEmulator } from '../../sw/node/emulator.mjs';
import { SwEndpointsError } from '../../sw/core/errors.js';
import { makeProject, recordingLogger, writeFiles } from './helpers.ts';

const BUILD_MJS = fileURLToPath(new URL('../../build.mjs', import.meta.url));

const HELLO = `export const GET = () => new Response('hello-endpoint-body');\n`;

/** A syntax error on line 3 of src/pages/api/bad.ts. */
const BAD = `export const GET = () => {\n\tconst ok = 1;\n\tconst broken = ;\n\treturn new Response(String(ok));\n};\n`;

/** Runs the CLI in a child process. */
function cli(...args: string[]) {
	const r = spawnSync(process.execPath, [BUILD_MJS, ...args], { encoding: 'utf8', timeout: 60_000 });
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function rejection(promise: Promise<unknown>): Promise<SwEndpointsError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(SwEndpointsError);
		return error as SwEndpointsError;
	}
	throw new Error('expected a rejection');
}

describe('build()', () => {
	it('names the worker by its own content hash (installed code is kept per build), and warns when a production build has the controls', async () => {
		const root = makeProject({ 'src/pages/api/hello.ts': HELLO });
		const logger = recordingLogger();
		const first = await build({ root, out: path.join(root, 'one'), logger, minify: false, dev: true });
		const firstText = fs.readFileSync(first.worker, 'utf8');
		expect(firstText).not.toContain('sw-endpoints-bid');
		fs.writeFileSync(path.join(root, 'src/pages/api/hello.ts'), HELLO.replace('hello-endpoint-body', 'changed'));
		const second = await build({ root, out: path.join(root, 'two'), logger, minify: false, dev: true });
		const ids = [firstText, fs.readFileSync(second.worker, 'utf8')].map((t) => /buildId = "([0-9a-f]{16})"/.exec(t)?.[1]);
		expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
		expect(ids[1]).toMatch(/^[0-9a-f]{16}$/);
		expect(ids[0]).not.toBe(ids[1]);
		expect(logger.lines.warn.join('\n')).not.toContain('production build has the controls');
		await build({ root, out: path.join(root, 'three'), logger, controls: true });
		expect(logger.lines.warn.join('\n')).toContain('this production build has the controls (controls: true): any script on the site');
	});

	it('writes sw.js (a classic script) and sw-client.js', async () => {
		const root = makeProject({
			'src/pages/api/hello.ts': HELLO,
			'src/pages/api/posts/[id].ts': `export const GET = ({ params }) => Response.json(params);\n`,
			'public/robots.txt': 'User-agent: *\n',
		});
		const logger = recordingLogger();
		const result = await build({ root, minify: false, logger });
		const out = path.join(root, 'dist');
		expect(result.out).toBe(out);
		expect(result.worker).toBe(path.join(out, 'sw.js'));
		for (const f of ['sw.js', 'sw-client.js', 'sw.js.map', 'sw-client.js.map', 'robots.txt']) {
			expect(fs.existsSync(path.join(out, f)), f).toBe(true);
		}
		expect(result.files.map((f) => f.name).sort()).toEqual(['sw-client.js', 'sw.js']);

		const sw = fs.readFileSync(path.join(out, 'sw.js'), 'utf8');
		// No module syntax at the top level, and no dynamic import() anywhere: a worker
		// registered as a classic script cannot use either.
		expect(sw).not.toMatch(/^\s*(?:import|export)\b[\s{*'"]/m);
		expect(sw).not.toMatch(/\bimport\s*\(/);
		expect(sw).not.toMatch(/\bimport\.meta\b/);
		// It compiles as a (non-module) script.
		expect(() => new vm.Script(sw, { filename: 'sw.js' })).not.toThrow();
		expect(sw).toMatch(/\/\/# sourceMappingURL=sw\.js\.map\s*$/);
		// The endpoint code is inside.
		expect(sw).toContain('"hello-endpoint-body"');
		expect(sw).toContain('/api/posts/[id]');

		const client = fs.readFileSync(path.join(out, 'sw-client.js'), 'utf8');
		expect(client).toMatch(/^export\s*\{/m);

		// The route table is reported.
		const report = logger.lines.log.join('\n');
		expect(report).toContain('/api/hello');
		expect(report).toContain('/api/posts/[id]');
		expect(result.routes.map((r: { route: string }) => r.route)).toEqual(['/api/hello', '/api/posts/[id]']);
	});

	it('the minified build is a classic script too', async () => {
		const root = makeProject({ 'src/pages/api/hello.ts': HELLO });
		await build({ root, out: 'www', logger: null });
		const sw = fs.readFileSync(path.join(root, 'www', 'sw.js'), 'utf8');
		expect(sw).not.toMatch(/\bimport\s*\(/);
		expect(() => new vm.Script(sw)).not.toThrow();
	});

	it('bundles local helper modules and type-only imports from astro', async () => {
		const root = makeProject({
			'src/lib/greet.ts': `export function greet(name: string): string {\n\treturn \`greetings from the helper, \${name}\`;\n}\n`,
			'src/pages/api/greet/[name].ts': [
				`import type { APIRoute } from 'astro';`,
				`import { greet } from '../../../lib/greet';`,
				`export const GET: APIRoute = ({ params }) => new Response(greet(params.name!));`,
				'',
			].join('\n'),
		});
		await build({ root, minify: false, logger: null });
		const sw = fs.readFileSync(path.join(root, 'dist', 'sw.js'), 'utf8');
		expect(sw).toContain('greetings from the helper');
		expect(() => new vm.Script(sw)).not.toThrow();

		const emulator = await createEmulator({ root, logger: recordingLogger() });
		try {
			const res = await emulator.fetch('/api/greet/ada');
			expect(await res.text()).toBe('greetings from the helper, ada');
		} finally {
			await emulator.close();
		}
	});

	it('a syntax error rejects with BuildFailed at the file and line, leaving the last output alone', async () => {
		const root = makeProject({ 'src/pages/api/hello.ts': HELLO });
		await build({ root, logger: null });
		const out = path.join(root, 'dist');
		const before = Object.fromEntries(fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]));

		writeFiles(root, { 'src/pages/api/bad.ts': BAD });
		const error = await rejection(build({ root, logger: null }));
		expect(error.code).toBe('BuildFailed');
		expect(error.file).toMatch(/[\\/]src[\\/]pages[\\/]api[\\/]bad\.ts$/);
		expect(error.line).toBe(3);
		expect(error.message).toContain('bad.ts:3');

		const after = Object.fromEntries(fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]));
		expect(after).toEqual(before);
	});

	it('an invalid file name rejects before anything is written', async () => {
		const root = makeProject({ 'src/pages/api/[a-b].ts': HELLO });
		const error = await rejection(build({ root, logger: null }));
		expect(error.code).toBe('InvalidParameterName');
		expect(error.file).toBe('src/pages/api/[a-b].ts');
		expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
	});

	it('importing an astro: module other than astro:middleware fails the build', async () => {
		const root = makeProject({ 'src/pages/api/x.ts': `import { z } from 'astro:content';\nexport const GET = () => new Response(String(z));\n` });
		const error = await rejection(build({ root, logger: null }));
		expect(error.code).toBe('BuildFailed');
		expect(error.file).toMatch(/x\.ts$/);
		expect(error.line).toBe(1);
	});

	it('warnings (unsupported pages, collisions) go to logger.warn', async () => {
		const root = makeProject({ 'src/pages/api/[a].ts': HELLO, 'src/pages/api/[b].ts': HELLO, 'src/pages/page.tsx': 'export default 1;' });
		const logger = recordingLogger();
		await build({ root, logger });
		const warnings = logger.lines.warn.join('\n');
		expect(warnings).toContain('src/pages/page.tsx');
		expect(warnings).toContain('A collision will result in a hard error');
	});
});

describe('build() and links in public/', () => {
	it('copies what a link inside the project points at, as files', async () => {
		const root = makeProject({ 'src/pages/api/hello.ts': HELLO, 'assets/logo.svg': '<svg/>', 'public/index.html': '<!doctype html>' });
		fs.symlinkSync(path.join(root, 'assets'), path.join(root, 'public', 'assets'));
		const result = await build({ root, logger: null });
		const copied = path.join(result.out, 'assets', 'logo.svg');
		expect(fs.readFileSync(copied, 'utf8')).toBe('<svg/>');
		expect(fs.lstatSync(path.join(result.out, 'assets')).isSymbolicLink()).toBe(false);
		expect(result.precache.files.map((f: { path: string }) => f.path)).toContain('assets/logo.svg');
	});

	it('fails, naming the link, when a link in public/ leaves the project; nothing is written', async () => {
		const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-outside-'));
		fs.writeFileSync(path.join(outside, 'config'), 'secret');
		const root = makeProject({ 'src/pages/api/hello.ts': HELLO, 'public/index.html': '<!doctype html>' });
		fs.symlinkSync(outside, path.join(root, 'public', 'linkdir'));
		const error = await rejection(build({ root, logger: null }));
		expect(error.message).toContain(path.join('public', 'linkdir'));
		expect(error.message).toContain('outside the project');
		expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
		fs.rmSync(outside, { recursive: true, force: true });
	});
});

describe('config', () => {
	const pages = {
		'src/pages/api/posts/[id].ts': `export const GET = ({ params }) => new Response(params.id);\n`,
	};

	it('--config <file.json> is honoured', async () => {
		const root = makeProject({ ...pages, 'conf/custom.json': JSON.stringify({ trailingSlash: 'never', redirects: { '/old': '/new' } }) });
		const configFile = path.join(root, 'conf/custom.json');
		const project = await analyze({ root, configFile });
		expect(project.config.trailingSlash).toBe('never');
		expect(project.routes.map((r: { route: string }) => r.route)).toContain('/old');

		const emulator = await createEmulator({ root, configFile, logger: recordingLogger() });
		try {
			const res = await emulator.fetch('/api/posts/7/');
			expect(res.status).toBe(301);
			expect(res.headers.get('location')).toBe('/api/posts/7');
			expect(await (await emulator.fetch('/api/posts/7')).text()).toBe('7');
		} finally {
			await emulator.close();
		}

		const run = cli('--root', root, '--config', configFile);
		expect(run.status).toBe(0);
		expect(run.stdout).toContain('/old');
		expect(run.stdout).toContain('/new');
	});

	it('sw-endpoints.config.mjs in the root is used by default, inline config overrides it', async () => {
		const root = makeProject({ ...pages, 'sw-endpoints.config.mjs': `export default { trailingSlash: 'always', site: 'https://example.com' };\n` });
		const project = await analyze({ root });
		expect(project.config.trailingSlash).toBe('always');
		expect(project.config.site).toBe('https://example.com');
		expect((await analyze({ root, config: { trailingSlash: 'ignore' } })).config.trailingSlash).toBe('ignore');

		const emulator = await createEmulator({ root, logger: recordingLogger() });
		try {
			const res = await emulator.fetch('/api/posts/7');
			expect(res.status).toBe(301);
			expect(res.headers.get('location')).toBe('/api/posts/7/');
		} finally {
			await emulator.close();
		}
	});

	it('a config redirect replaces the file route with the same path', async () => {
		const root = makeProject({ ...pages, 'src/pages/old.ts': HELLO, 'src/pages/keep.ts': HELLO });
		const { routes } = await analyze({ root, config: { redirects: { '/old': '/new', '/api/posts/[id]': '/p/[id]' } } });
		expect(routes.map((r: { type: string; route: string }) => `${r.type} ${r.route}`)).toEqual(['redirect /api/posts/[id]', 'endpoint /keep', 'redirect /old']);
	});

	it('defaults when there is no config file', async () => {
		const root = makeProject(pages);
		const { config } = await analyze({ root });
		expect(config).toMatchObject({ output: 'server', base: '/', trailingSlash: 'ignore', security: { checkOrigin: true }, build: { format: 'directory' } });
		expect(config.site).toBeUndefined();
	});

	it.each<[string, Record<string, unknown>]>([
		['trailingSlash', { trailingSlash: 'sometimes' }],
		['output', { output: 'hybrid' }],
		['build.format', { build: { format: 'flat' } }],
		['site', { site: 'not a url' }],
		['base', { base: 42 }],
		['redirects', { redirects: 'nope' }],
		['security.checkOrigin', { security: { checkOrigin: 'yes' } }],
		['session', { session: 'on' }],
		['session.cookie', { session: { cookie: 'bad name' } }],
		['session.ttl', { session: { ttl: '1h' } }],
		['controls', { controls: 'yes' }],
	])('an invalid %s → InvalidConfig', async (_name, config) => {
		const root = makeProject(pages);
		expect((await rejection(build({ root, config, logger: null }))).code).toBe('InvalidConfig');
	});

	it('an invalid value in a config file → InvalidConfig naming the file', async () => {
		const root = makeProject({ ...pages, 'sw-endpoints.config.json': JSON.stringify({ trailingSlash: 'sometimes' }) });
		const error = await rejection(analyze({ root }));
		expect(error.code).toBe('InvalidConfig');
		expect(error.file).toBe(path.join(root, 'sw-endpoints.config.json'));
	});

	it('a config file that does not parse → InvalidConfig; a missing --config file → ConfigNotFound', async () => {
		const root = makeProject({ ...pages, 'sw-endpoints.config.json': '{ trailingSlash: ' });
		expect((await rejection(analyze({ root }))).code).toBe('InvalidConfig');
		expect((await rejection(analyze({ root, configFile: path.join(root, 'missing.json') }))).code).toBe('ConfigNotFound');
	});
});

describe('CLI', () => {
	it('exits 0 and prints the route table on success', () => {
		const root = makeProject({
			'src/pages/api/hello.ts': HELLO,
			'src/pages/api/posts/[id].ts': HELLO,
			'src/pages/api/files/[...path].json.ts': HELLO,
		});
		const run = cli('--root', root);
		expect(run.status).toBe(0);
		for (const route of ['/api/hello', '/api/posts/[id]', '/api/files/[...path].json']) expect(run.stdout).toContain(route);
		expect(fs.existsSync(path.join(root, 'dist', 'sw.js'))).toBe(true);
		expect(fs.existsSync(path.join(root, 'dist', 'sw-client.js'))).toBe(true);
	});

	it('--out and --no-minify are honoured', () => {
		const root = makeProject({ 'src/pages/api/hello.ts': HELLO });
		const out = path.join(root, 'elsewhere');
		const run = cli('--root', root, '--out', out, '--no-minify');
		expect(run.status).toBe(0);
		const sw = fs.readFileSync(path.join(out, 'sw.js'), 'utf8');
		expect(sw.split('\n').length).toBeGreaterThan(100);
	});

	it('exits non-zero and prints file:line for a syntax error', () => {
		const root = makeProject({ 'src/pages/api/hello.ts': HELLO, 'src/pages/api/bad.ts': BAD });
		const run = cli('--root', root);
		expect(run.status).not.toBe(0);
		expect(run.stderr).toMatch(/src[\\/]pages[\\/]api[\\/]bad\.ts:3\b/);
		expect(fs.existsSync(path.join(root, 'dist', 'sw.js'))).toBe(false);
	});

	it('exits non-zero and names the file for an invalid file name', () => {
		for (const name of ['[a-b].ts', '[a][b].ts', '[id.ts']) {
			const root = makeProject({ [`src/pages/api/${name}`]: HELLO });
			const run = cli('--root', root);
			expect(run.status, name).not.toBe(0);
			expect(run.stderr).toContain(`src/pages/api/${name}`);
		}
	});

	it('exits non-zero for an invalid config and for unknown arguments', () => {
		const root = makeProject({ 'src/pages/api/hello.ts': HELLO, 'sw-endpoints.config.json': '{"trailingSlash":"sometimes"}' });
		const bad = cli('--root', root);
		expect(bad.status).not.toBe(0);
		expect(bad.stderr).toContain('trailingSlash');
		const unknown = cli('--root', root, '--frobnicate');
		expect(unknown.status).not.toBe(0);
		expect(unknown.stderr).toContain('--frobnicate');
		const missing = cli('--root');
		expect(missing.status).not.toBe(0);
	});

	it('--help prints usage and exits 0', () => {
		const run = cli('--help');
		expect(run.status).toBe(0);
		expect(run.stdout).toContain('--root');
	});
});
