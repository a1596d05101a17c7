// SameSite across sites in every engine: a link on another site (localhost vs
// 127.0.0.1 are different sites) whose page strips the referrer must not bring
// the SameSite=Strict cookies along; Lax ones go with a top-level GET navigation.
// Before, a navigation without a referrer was taken as same-site.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../testing/static-server.mjs';
import { ENGINES, api, freshBrowser, openApp, serveProject } from './helpers.ts';

let app: Awaited<ReturnType<typeof serveProject>>;
let other: { url: string; close(): Promise<void> };
let otherDir: string;
beforeAll(async () => {
	app = await serveProject(path.resolve('tests/browser/state-app'));
	otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-other-site-'));
	fs.writeFileSync(
		path.join(otherDir, 'link.html'),
		`<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>other site</title><a id="go" href="${app.url}/api/cookies">to the app</a>`,
	);
	other = await serveStatic({ root: otherDir, host: 'localhost' });
});
afterAll(async () => {
	await app?.close();
	await other?.close();
	fs.rmSync(otherDir, { recursive: true, force: true });
});

describe.each(ENGINES)('%s', (engine) => {
	const ctx = freshBrowser(engine);

	it('a link from another site with no referrer carries Lax cookies but not Strict ones', async () => {
		const page = await openApp(ctx.browser, `${app.url}/`);
		await api(page, '/api/samesite', { method: 'POST' });
		expect((await api(page, '/api/cookies')).body.header).toContain('strict=1');

		await page.goto(`${other.url}/link.html`);
		await page.evaluate(() => document.getElementById('go')!.click());
		const text: string = await page.waitFor(
			() => location.pathname === '/api/cookies' && document.body?.textContent?.includes('"header"') && document.body.textContent,
		);
		const header: string = JSON.parse(text).header ?? '';
		expect(header).toContain('lax=1');
		expect(header).not.toContain('strict=1');
		expect(header).not.toContain('hidden-strict');
	});
});
