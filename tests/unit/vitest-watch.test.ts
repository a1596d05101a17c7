// Vitest watch mode with setupEmulator: editing an endpoint file reruns the tests,
// and the rerun answers with the new code (the setup file bundles src/pages again).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('a changed endpoint file is picked up by watch mode', async () => {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-watch-'));
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		fs.writeFileSync(path.join(root, file), text);
	};
	const endpoint = (answer: string) => `export const GET = () => new Response(${JSON.stringify(answer)});\n`;
	write('src/pages/api/hello.ts', endpoint('first version'));
	write(
		'setup.mjs',
		`import { setupEmulator } from ${JSON.stringify(path.join(repo, 'testing', 'node.mjs'))};\nawait setupEmulator({ root: ${JSON.stringify(root)}, origin: 'http://localhost:3000', onUnhandledRequest: 'error' });\n`,
	);
	write(
		'hello.test.mjs',
		`import { test } from 'vitest';\ntest('hello', async () => { console.log('ANSWER:', await (await fetch('/api/hello')).text()); });\n`,
	);
	write('vitest.config.mjs', `export default { test: { include: ['*.test.mjs'], setupFiles: ['./setup.mjs'], forceRerunTriggers: ['**/src/pages/**'] } };\n`);

	const child = spawn(
		process.execPath,
		[path.join(repo, 'node_modules', 'vitest', 'vitest.mjs'), '--watch', '--root', root, '--config', path.join(root, 'vitest.config.mjs')],
		{
			cwd: root,
			env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '' },
			stdio: ['pipe', 'pipe', 'pipe'],
		},
	);
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const seen = (text: string) => expect.poll(() => output, { timeout: 30_000, interval: 100 }).toContain(text);
	try {
		await seen('ANSWER: first version');
		write('src/pages/api/hello.ts', endpoint('second version'));
		await seen('ANSWER: second version');
	} finally {
		child.kill();
		fs.rmSync(root, { recursive: true, force: true });
	}
}, 60_000);
