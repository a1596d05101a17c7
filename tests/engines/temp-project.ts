// A small project in a temp dir for the update and watch tests (Playwright's and
// the three engines'): one on-demand and one prerendered endpoint saying a word.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A new folder in the temp dir: `write(file, text)` into it, `remove()` it. */
function scratch(prefix: string) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		fs.writeFileSync(path.join(root, file), text);
	};
	return { root, write, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** The page of a test project: starts the emulator, then marks the body ready. */
function appPage(title: string): string {
	return `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title>
<script type="module">
import { startEmulator } from './sw-client.js';
window.emulator = await startEmulator({ url: './sw.js', scope: './' });
document.body.dataset.ready = 'true';
</script>`;
}

/** A small project in a temp dir, with one on-demand and one prerendered endpoint saying `word`. */
export function tempProject(word: string) {
	const { root, write, remove } = scratch('sw-update-');
	const endpoints = (w: string) => {
		write('src/pages/api/word.ts', `export const GET = () => new Response(${JSON.stringify(w)});\n`);
		write('src/pages/api/static.txt.ts', `export const prerender = true;\nexport const GET = () => new Response(${JSON.stringify(`static ${w}`)});\n`);
	};
	endpoints(word);
	write(
		'public/index.html',
		`<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>update</title>
<script type="module">
import { startEmulator } from './sw-client.js';
window.updates = 0;
window.emulator = await startEmulator({ url: './sw.js', scope: './', reloadOnUpdate: false });
window.emulator.on('update', () => window.updates++);
document.body.dataset.ready = 'true';
</script>`,
	);
	return { root, out: path.join(root, 'dist'), endpoints, write, remove };
}

/**
 * A project with `count` on-demand endpoints (`api/r<n>/[id].ts`), enough for the
 * build to put their code in group scripts (build/worker-scripts.mjs). Besides the
 * plain ones (`{ id, r }`): r0 and the last, in another group, share a module with
 * state (`lib/counter.ts`); the last alone imports `lib/only.ts` and sets a cookie
 * that r3 reads; r2 imports a module the middleware also imports; r4 imports r5's
 * module; r6 throws.
 */
export function manyEndpointsProject(count: number) {
	const project = scratch('sw-many-');
	const { write } = project;
	const special: Record<number, string> = {
		0: "import counter, { bump, count } from '../../../lib/counter.ts';\nexport const GET = () => { bump(); return Response.json({ count, name: counter.name }); };\n",
		[count - 1]:
			"import { bump, count } from '../../../lib/counter.ts';\nimport { only } from '../../../lib/only.ts';\nexport const GET = ({ cookies }) => { bump(); cookies.set('split', only, { path: '/' }); return Response.json({ count, only }); };\n",
		2: "import { mark } from '../../../lib/marks.ts';\nexport const GET = ({ locals }) => Response.json({ mark, locals: locals.mark });\n",
		3: "export const GET = ({ cookies }) => Response.json({ split: cookies.get('split')?.value ?? null });\n",
		4: "import { GET as fifth } from '../r5/[id].ts';\nexport const GET = (context) => fifth(context);\n",
		5: "export const GET = () => Response.json({ fifth: 'r5-own-module' });\n",
		6: "export const GET = () => { throw new Error('r6 fails on purpose'); };\n",
	};
	for (let n = 0; n < count; n++)
		write(`src/pages/api/r${n}/[id].ts`, special[n] ?? `export const GET = ({ params }) => Response.json({ id: params.id, r: ${n} });\n`);
	write('src/lib/counter.ts', "export let count = 0;\nexport function bump() { count++; }\nexport default { name: 'shared-counter' };\n");
	write('src/lib/only.ts', "export const only = 'only-in-r1';\n");
	write('src/lib/marks.ts', "export const mark = 'from-middleware';\n");
	write(
		'src/middleware.ts',
		"import { defineMiddleware } from 'astro:middleware';\nimport { mark } from './lib/marks.ts';\nexport const onRequest = defineMiddleware((context, next) => { context.locals.mark = mark; return next(); });\n",
	);
	write('public/index.html', appPage('many endpoints'));
	return { root: project.root, remove: project.remove };
}

/**
 * A project whose sources never mention cookies or the session: a package in its
 * node_modules (`auth-lib`, as an auth library would) sets a cookie with a
 * Set-Cookie header, reads it back from the request, and counts in the session.
 */
export function libraryStateProject() {
	const project = scratch('sw-library-state-');
	const { write } = project;
	write('src/pages/api/login.ts', "import { login } from 'auth-lib';\nexport const POST = login;\n");
	write('src/pages/api/me.ts', "import { whoami } from 'auth-lib';\nexport const GET = whoami;\n");
	write('src/pages/api/visits.ts', "import { visit } from 'auth-lib';\nexport const GET = visit;\n");
	write('node_modules/auth-lib/package.json', JSON.stringify({ name: 'auth-lib', type: 'module', main: 'index.js' }));
	write(
		'node_modules/auth-lib/index.js',
		[
			"export const login = () => new Response('signed in', { headers: { 'set-cookie': 'sid=abc123; Path=/; HttpOnly' } });",
			"export const whoami = ({ request }) => Response.json({ header: request.headers.get('cookie') });",
			"export async function visit({ session }) { const n = ((await session.get('n')) ?? 0) + 1; session.set('n', n); return Response.json({ n }); }",
			'',
		].join('\n'),
	);
	write('public/index.html', appPage('library state'));
	return { root: project.root, remove: project.remove };
}
