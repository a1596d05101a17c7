// The packed package as an Astro user gets it: `npm pack`, installed with Astro 7
// into a fresh site outside the repository by Node 22's npm, set up with the
// README's "On an Astro site" files only; then tsc (the config, checked with
// Astro's own types, and the emulator module's types), `astro
// build`, and the built page answered by the worker in Chromium under `astro preview`.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launch } from '../engines/index.mjs';
import { REPO, astroToolchain, astroBuild, freePort, startServer } from './helpers.ts';

const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## On an Astro site'), readme.indexOf('## Set-up'));
/** The README's code block that starts with `// <file>`. */
function fileFromReadme(file: string): string {
	const block = [...section.matchAll(/```(?:js|ts)\n([\s\S]*?)```/g)].map((m) => m[1]).find((code) => code.startsWith(`// ${file}\n`));
	if (!block) throw new Error(`README's "On an Astro site" has no code block for ${file}`);
	return block;
}

let site = '';
let tmp = '';
beforeAll(() => {
	const { node, astroVersion } = astroToolchain();
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-astro-package-'));
	execFileSync('npm', ['pack', '--pack-destination', tmp, '--silent'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
	const tarball = path.join(
		tmp,
		fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'))!,
	);
	site = path.join(tmp, 'site');
	const files: Record<string, string> = {
		'package.json': JSON.stringify({ name: 'site', private: true, type: 'module' }),
		'tsconfig.json': JSON.stringify({ extends: 'astro/tsconfigs/strict', include: ['.astro/types.d.ts', '**/*'], exclude: ['dist'] }),
		'astro.config.mjs': fileFromReadme('astro.config.mjs'),
		'src/pages/api/hello.ts': fileFromReadme('src/pages/api/hello.ts'),
		// A page whose script waits for the worker as the README shows, then calls the endpoint.
		'src/pages/index.astro': `<p id="answer">waiting</p>
<script>
	import { emulator } from 'sw-endpoints:emulator';
	await emulator;
	document.querySelector('#answer')!.textContent = JSON.stringify(await (await fetch('/api/hello?name=ada')).json());
</script>
`,
		'src/check.ts':
			"import { emulator } from 'sw-endpoints:emulator';\nimport type { Emulator } from 'sw-endpoints/client';\nexport const e: Emulator | null = await emulator;\n",
	};
	for (const [name, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(site, name)), { recursive: true });
		fs.writeFileSync(path.join(site, name), text);
	}
	const npmCli = [process.env.npm_execpath, path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')].find(
		(f) => f?.endsWith('.js') && fs.existsSync(f),
	);
	if (!npmCli) throw new Error('cannot find npm-cli.js to install the site with: run through npm (npm test, npx vitest)');
	const install = spawnSync(node, [npmCli, 'install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `astro@${astroVersion}`, tarball], {
		cwd: site,
		encoding: 'utf8',
		env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` },
	});
	if (install.status !== 0) throw new Error(`npm install astro and the packed package failed:\n${install.stderr}`);
}, 300_000);
afterAll(() => {
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

it('builds with the README set-up, type-checks the config and the emulator module, and answers from the worker under astro preview', async () => {
	await astroBuild(site);
	expect(fs.existsSync(path.join(site, 'dist', 'client', 'sw.js'))).toBe(true);
	const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', site], { encoding: 'utf8' });
	expect(tsc.stdout + tsc.stderr).toBe('');
	const port = await freePort();
	const preview = startServer(site, ['node_modules/astro/bin/astro.mjs', 'preview', '--port', String(port), '--host', '127.0.0.1'], /serving .* at http/);
	const browser = await launch('chromium');
	try {
		await preview.started;
		const page = await browser.newPage();
		await page.goto(`http://127.0.0.1:${port}/`);
		expect(
			JSON.parse(await page.waitFor(() => document.querySelector('#answer')?.textContent !== 'waiting' && document.querySelector('#answer')?.textContent)),
		).toEqual({
			hello: 'ada',
		});
	} finally {
		await browser.close();
		await preview.stop();
	}
});
