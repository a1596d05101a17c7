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
