// A small project in a temp dir for the update and watch tests (Playwright's and
// the three engines'): one on-demand and one prerendered endpoint saying a word.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A small project in a temp dir, with one on-demand and one prerendered endpoint saying `word`. */
export function tempProject(word: string) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-update-'));
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		fs.writeFileSync(path.join(root, file), text);
	};
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
	return { root, out: path.join(root, 'dist'), endpoints, write, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
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
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-many-'));
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		fs.writeFileSync(path.join(root, file), text);
	};
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
	write(
		'public/index.html',
		`<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>many endpoints</title>
<script type="module">
import { startEmulator } from './sw-client.js';
window.emulator = await startEmulator({ url: './sw.js', scope: './' });
document.body.dataset.ready = 'true';
</script>`,
	);
	return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
