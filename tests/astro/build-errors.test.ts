// What the adapter refuses at `astro build`: pages rendered on demand (a service
// worker answers endpoints only), each named with what to do.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { astro, makeSite } from './helpers.ts';

const sites: string[] = [];
afterAll(() => {
	for (const site of sites) fs.rmSync(site, { recursive: true, force: true });
});

it('fails on pages rendered on demand, naming each file and its route, and saying what to do', async () => {
	const site = makeSite(undefined, {
		'astro.config.mjs': "import swEndpoints from 'sw-endpoints/astro';\nexport default { output: 'server', adapter: swEndpoints() };\n",
		// Under output: 'server' a page without `prerender = true` is rendered on demand.
		'src/pages/index.astro': '<h1>home</h1>\n',
		'src/pages/guide.md': '# Guide\n',
		'src/pages/about.astro': '---\nexport const prerender = true;\n---\n<h1>about</h1>\n',
		'src/pages/api/ok.ts': 'export const GET = () => Response.json({ ok: true });\n',
	});
	sites.push(site);
	const { code, output } = await astro(site, ['build']);
	expect(code).not.toBe(0);
	expect(output).toContain('rendered on demand');
	expect(output).toContain('src/pages/index.astro (/)');
	expect(output).toContain('src/pages/guide.md (/guide)');
	expect(output).not.toContain('src/pages/about.astro');
	expect(output).toMatch(/Prerender each/);
	expect(output).toMatch(/@astrojs\/node/);
	// Refused before Astro built anything.
	expect(fs.existsSync(path.join(site, 'dist', 'client', 'sw.js'))).toBe(false);
});

it('builds the same site once its pages are prerendered', async () => {
	const site = makeSite(undefined, {
		'astro.config.mjs': "import swEndpoints from 'sw-endpoints/astro';\nexport default { output: 'server', adapter: swEndpoints() };\n",
		'src/pages/index.astro': '---\nexport const prerender = true;\n---\n<h1>home</h1>\n',
		'src/pages/api/ok.ts': 'export const GET = () => Response.json({ ok: true });\n',
	});
	sites.push(site);
	const { code, output } = await astro(site, ['build']);
	expect(code, output).toBe(0);
	expect(fs.existsSync(path.join(site, 'dist', 'client', 'sw.js'))).toBe(true);
	expect(output).toMatch(/λ \/api\/ok\s+src\/pages\/api\/ok\.ts/);
});

it('fails on Astro actions, which need a server', async () => {
	const site = makeSite(undefined, {
		'astro.config.mjs': "import swEndpoints from 'sw-endpoints/astro';\nexport default { adapter: swEndpoints() };\n",
		'src/pages/index.astro': '<h1>home</h1>\n',
		'src/actions/index.ts':
			"import { defineAction } from 'astro:actions';\nexport const server = { like: defineAction({ handler: async () => ({ likes: 1 }) }) };\n",
	});
	sites.push(site);
	const { code, output } = await astro(site, ['build']);
	expect(code).not.toBe(0);
	expect(output).toMatch(/Astro actions \(src\/actions\)/);
});
