// Node mode's reset() and module state: with `freshModules` (the default) endpoint
// and middleware modules, and what they import, start over after a reset, as they do
// in a new worker; without it they keep counting, as on a long-running server.
import { afterEach, describe, expect, it } from 'vitest';
import { loadNodeBundle } from '../../build/node-bundle.mjs';
import { analyze } from '../../build/analyze.mjs';
import { createEmulator } from '../../sw/node/emulator.mjs';
import { makeProject, recordingLogger, type ProjectFiles } from './helpers.ts';

type Emulator = Awaited<ReturnType<typeof createEmulator>>;

const PROJECT: ProjectFiles = {
	// A module-level counter, the `const todos = []` of many endpoints.
	'src/pages/api/counter.ts': `let count = 0;\nexport const GET = () => Response.json(++count);\n`,
	// State in a module the endpoint imports, and in the middleware.
	'src/lib/db.ts': `export const rows: string[] = [];\n`,
	'src/pages/api/rows.ts': `import { rows } from '../../lib/db';\nexport const POST = async ({ request }) => { rows.push(await request.json()); return Response.json(rows); };\n`,
	'src/middleware.ts': `let seen = 0;\nexport const onRequest = (context, next) => { context.locals.seen = ++seen; return next(); };\n`,
	'src/pages/api/seen.ts': `export const GET = ({ locals }) => Response.json(locals.seen);\n`,
	'src/pages/api/user.ts': `export const GET = ({ locals }) => Response.json(locals.user ?? null);\n`,
};

const opened: Emulator[] = [];
afterEach(async () => {
	for (const e of opened.splice(0)) await e.close();
});

async function open(options: { freshModules?: boolean; browser?: boolean; files?: ProjectFiles } = {}) {
	const { files = PROJECT, ...rest } = options;
	const e = await createEmulator({ root: makeProject(files), logger: recordingLogger(), ...rest });
	opened.push(e);
	return e;
}

const json = async (e: Emulator, path: string, init?: RequestInit) => (await e.fetch(path, init)).json();
const post = async (e: Emulator, path: string, value: unknown) =>
	json(e, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
const counts = async (e: Emulator, n: number) => {
	const out = [];
	for (let i = 0; i < n; i++) out.push(await json(e, '/api/counter'));
	return out;
};

describe('reset() and module state', () => {
	it('freshModules: a module-level counter counts 1, 2, and starts at 1 again after reset()', async () => {
		const e = await open({ freshModules: true });
		expect(await counts(e, 2)).toEqual([1, 2]);
		await e.reset();
		expect(await counts(e, 2)).toEqual([1, 2]);
	});

	it('is the default', async () => {
		const e = await open();
		expect(await counts(e, 2)).toEqual([1, 2]);
		await e.reset();
		expect(await counts(e, 1)).toEqual([1]);
	});

	it('freshModules: false keeps module state across reset(), as a long-running server', async () => {
		const e = await open({ freshModules: false });
		expect(await counts(e, 2)).toEqual([1, 2]);
		await e.reset();
		expect(await counts(e, 2)).toEqual([3, 4]);
	});

	it('covers imported modules and the middleware too', async () => {
		const e = await open();
		expect(await post(e, '/api/rows', 'a')).toEqual(['a']);
		expect(await post(e, '/api/rows', 'b')).toEqual(['a', 'b']);
		expect(await json(e, '/api/seen')).toBe(3);
		await e.reset();
		expect(await post(e, '/api/rows', 'c')).toEqual(['c']);
		expect(await json(e, '/api/seen')).toBe(2);
	});

	it('still forgets overrides, network rules, locals and the request log, and keeps on() listeners', async () => {
		const e = await open();
		const heard: string[] = [];
		e.on('request', (r) => heard.push(r.path));
		await e.use('GET', '/api/seen', () => Response.json('override'));
		await e.fail('/api/rows');
		await e.setLocals({ user: 'ada' });
		expect(await json(e, '/api/seen')).toBe('override');
		await expect(post(e, '/api/rows', 'x')).rejects.toThrow(TypeError);
		expect(await json(e, '/api/user')).toBe('ada');
		await e.reset();
		expect(e.requests).toEqual([]);
		expect(await json(e, '/api/seen')).toBe(1);
		expect(await post(e, '/api/rows', 'x')).toEqual(['x']);
		expect(await json(e, '/api/user')).toBe(null);
		expect(heard).toEqual(['/api/seen', '/api/rows', '/api/user', '/api/seen', '/api/rows', '/api/user']);
	});

	it('forgets cookies and sessions in browser mode, in the new instance as in the old', async () => {
		const e = await open({
			browser: true,
			files: {
				'src/pages/api/visit.ts': `export const POST = async ({ session, cookies }) => {
	const n = ((await session.get('n')) ?? 0) + 1;
	session.set('n', n);
	cookies.set('seen', String(n), { path: '/' });
	return Response.json(n);
};\n`,
			},
		});
		expect(await json(e, '/api/visit', { method: 'POST' })).toBe(1);
		expect(await json(e, '/api/visit', { method: 'POST' })).toBe(2);
		expect((await e.cookies()).map((c) => c.name)).toContain('seen');
		await e.reset();
		expect(await e.cookies()).toEqual([]);
		expect(await json(e, '/api/visit', { method: 'POST' })).toBe(1);
		await e.seed({ session: { n: 41 } });
		expect(await json(e, '/api/visit', { method: 'POST' })).toBe(42);
	});

	it('keeps installed endpoints, their module state starting over', async () => {
		const e = await open();
		await e.install('api/installed.ts', 'let n = 0;\nexports.GET = () => Response.json(++n);\n');
		await e.install('api/gone.ts', 'exports.GET = () => Response.json("gone");\n');
		await e.uninstall('api/gone.ts');
		expect(await json(e, '/api/installed')).toBe(1);
		expect(await json(e, '/api/installed')).toBe(2);
		await e.reset();
		expect((await e.installed()).map((i) => i.file)).toEqual(['api/installed.ts']);
		expect(await json(e, '/api/installed')).toBe(1);
		expect((await e.fetch('/api/gone')).status).toBe(404);
	});

	it('serves from modules that prerendering did not touch', async () => {
		const files: ProjectFiles = {
			'src/lib/hits.ts': `let hits = 0;\nexport const hit = () => ++hits;\n`,
			'src/pages/data.json.ts': `import { hit } from '../lib/hits';\nexport const prerender = true;\nexport const GET = () => Response.json(hit());\n`,
			'src/pages/api/hits.ts': `import { hit } from '../../lib/hits';\nexport const GET = () => Response.json(hit());\n`,
		};
		const fresh = await open({ files });
		expect(await json(fresh, '/data.json')).toBe(1);
		expect(await json(fresh, '/api/hits')).toBe(1);
		const kept = await open({ files, freshModules: false });
		expect(await json(kept, '/api/hits')).toBe(2);
	});

	it("a response's Set-Cookie lines are still read after reset()", async () => {
		const e = await open({
			files: {
				'src/pages/api/login.ts': `export const GET = ({ cookies, redirect }) => { cookies.set('user', 'ada', { path: '/' }); return redirect('/'); };\n`,
			},
		});
		const response = await e.fetch('/api/login');
		await e.reset();
		expect(e.setCookies(response)).toEqual(['user=ada; Path=/']);
	});

	it('a request running across reset() finishes on the instance it started on', async () => {
		const e = await open({
			files: {
				'src/pages/api/slow.ts': `let n = 0;\nexport const GET = async () => { const mine = ++n; await new Promise((r) => setTimeout(r, 50)); return Response.json([mine, n]); };\n`,
			},
		});
		const pending = json(e, '/api/slow');
		await e.reset();
		expect(await json(e, '/api/slow')).toEqual([1, 1]);
		expect(await pending).toEqual([1, 1]);
		expect(e.requests.map((r) => r.path)).toEqual(['/api/slow', '/api/slow']);
	});
});

describe('the Node bundle evaluated again', () => {
	it('gives a new instance with the same exports and nothing shared', async () => {
		const project = await analyze({ root: makeProject(PROJECT) });
		const bundle = await loadNodeBundle(project);
		try {
			const again = bundle.evaluate();
			expect(Object.keys(again).sort()).toEqual(Object.keys(bundle.mod).sort());
			expect(again.routes).not.toBe(bundle.mod.routes);
			const count = async (mod: any) => (await mod.create().handle(new Request('http://localhost:4321/api/counter'))).json();
			expect([await count(bundle.mod), await count(bundle.mod), await count(again)]).toEqual([1, 2, 1]);
		} finally {
			bundle.dispose();
		}
	});

	it('keeps import.meta.url working in endpoint code', async () => {
		const e = await open({ files: { 'src/pages/api/meta.ts': `export const GET = () => Response.json(new URL('.', import.meta.url).protocol);\n` } });
		expect(await json(e, '/api/meta')).toBe('file:');
	});
});
