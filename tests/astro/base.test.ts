// examples/astro-site under `base: '/docs'` with `trailingSlash: 'never'`: the
// worker registers at the base, and the try-it blocks reach its endpoints there.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { serveStatic } from '../../testing/static-server.mjs';
import { launch } from '../engines/index.mjs';
import { REPO, astroBuild, makeSite } from './helpers.ts';

let site = '';
afterAll(() => {
	if (site) fs.rmSync(site, { recursive: true, force: true });
});

it("serves the endpoints under Astro's base", async () => {
	site = makeSite(path.join(REPO, 'examples', 'astro-site'));
	const configFile = path.join(site, 'astro.config.mjs');
	fs.writeFileSync(
		configFile,
		fs.readFileSync(configFile, 'utf8').replace("output: 'static',", "output: 'static',\n\tbase: '/docs',\n\ttrailingSlash: 'never',"),
	);
	await astroBuild(site);
	const server = await serveStatic({ root: path.join(site, 'dist', 'client'), base: '/docs/' });
	const browser = await launch('chromium');
	try {
		const page = await browser.newPage();
		await page.goto(`${server.url}/docs/docs/`);
		await page.waitFor(() => document.querySelectorAll('.try-it[data-ready]').length === 6);
		expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.url}/docs/sw.js`);
		const hello = await page.evaluate(async () => {
			const response = await fetch('/docs/api/hello?name=base');
			return { status: response.status, body: await response.json() };
		});
		expect(hello).toEqual({ status: 200, body: { hello: 'base', visitor: 'stranger' } });
		// trailingSlash: 'never': Astro's redirect to the path without the slash.
		const slashed = await page.evaluate(async () => {
			const response = await fetch('/docs/api/hello/');
			return { status: response.status, redirected: response.redirected, path: new URL(response.url).pathname };
		});
		expect(slashed).toEqual({ status: 200, redirected: true, path: '/docs/api/hello' });
	} finally {
		await browser.close();
		await server.close();
	}
});
