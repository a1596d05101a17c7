// Try-it blocks (demo/public/embed.js) in the demo's static docs page: live
// requests answered by the worker, also when the site lives under a sub-path.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenshots, serveProject, test } from './fixtures.ts';

/** The try-it block whose path starts as `path`. */
function block(page: Page, path: string) {
	return page.locator(`.sw-try[data-path="${path}"]`);
}

async function sendFrom(page: Page, tryBlock: ReturnType<typeof block>, urlEnd: string) {
	const [response] = await Promise.all([
		page.waitForResponse((r) => new URL(r.url()).pathname + new URL(r.url()).search === urlEnd),
		tryBlock.getByRole('button', { name: 'Send' }).click(),
	]);
	return response;
}

test.describe('the docs page under a sub-path base', () => {
	let served: Awaited<ReturnType<typeof serveProject>>;
	test.beforeAll(async () => {
		served = await serveProject(path.resolve('demo'), { base: '/project/docs/' });
	});
	test.afterAll(async () => {
		await served.close();
	});

	test('try-it blocks call the routes under the base, answered by the worker', async ({ page }, testInfo) => {
		await page.goto(`${served.site.url}/project/docs/docs/`);
		await page.waitForSelector('html[data-sw-try-ready]', { state: 'attached', timeout: 30_000 });
		// The worker registered from the folder embed.js is served from, with that folder as its scope.
		const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
		expect(scope).toBe(`${served.site.url}/project/docs/`);

		const hello = block(page, 'api/hello?name=Astro');
		await expect(hello.locator('.sw-try-base')).toHaveText('/project/docs/');
		const answer = await sendFrom(page, hello, '/project/docs/api/hello?name=Astro');
		expect(answer.fromServiceWorker()).toBe(true);
		await expect(hello.locator('.sw-status')).toContainText('200 OK');
		await expect(hello.locator('.sw-body')).toContainText('"hello": "Astro"');
		await expect(hello.locator('.sw-meta')).toContainText('src/pages/api/hello.ts');

		// The path is editable.
		const post = block(page, 'api/posts/2');
		await post.locator('input').fill('api/posts/99');
		await sendFrom(page, post, '/project/docs/api/posts/99');
		await expect(post.locator('.sw-status')).toContainText('404');
		await expect(post.locator('.sw-body')).toHaveText('{\n  "error": "no post 99"\n}');

		// So is the body, sent as JSON.
		const echo = block(page, 'api/echo');
		await echo.locator('textarea').fill('{ "edited": true }');
		await sendFrom(page, echo, '/project/docs/api/echo');
		await expect(echo.locator('.sw-status')).toContainText('201 Created');
		await expect(echo.locator('.sw-body')).toHaveText(JSON.stringify({ method: 'POST', contentType: 'application/json', body: { edited: true } }, null, 2));

		// A cookie the page cannot see (HttpOnly) is shown from the worker's record.
		const visits = block(page, 'api/visits');
		await sendFrom(page, visits, '/project/docs/api/visits');
		await expect(visits.locator('.sw-body')).toHaveText('{\n  "visits": 1\n}');
		await expect(visits.locator('.sw-cookies')).toContainText('Cookies set by the emulator');
		await expect(visits.locator('.sw-cookie-pair')).toHaveText(/^astro-session=/);
		await expect(visits.locator('.sw-cookies')).toContainText('HttpOnly');
		await sendFrom(page, visits, '/project/docs/api/visits');
		await expect(visits.locator('.sw-body')).toHaveText('{\n  "visits": 2\n}');

		const tags = block(page, 'api/tags.json');
		await sendFrom(page, tags, '/project/docs/api/tags.json');
		await expect(tags.locator('.sw-body')).toContainText('"routing"');

		expect(served.site.hits.filter((h) => h.includes('/api/'))).toEqual([]);
		await screenshots(page, testInfo, 'docs-sub-path');
	});
});

test('the docs page at the root: one stylesheet, and blocks added later with mountTryBlocks', async ({ page, demo }, testInfo) => {
	await page.goto(`${demo.url}/docs/`);
	await page.waitForSelector('html[data-sw-try-ready]', { state: 'attached', timeout: 30_000 });
	// The page links embed.css itself, so embed.js does not add it again.
	expect(await page.locator('link[href$="embed.css"]').count()).toBe(1);
	await expect(page.locator('.sw-try').first().locator('.sw-try-base')).toHaveText('/');

	await page.evaluate(async () => {
		const div = Object.assign(document.createElement('div'), { className: 'sw-try' });
		Object.assign(div.dataset, { method: 'DELETE', path: 'api/posts/1', id: 'late' });
		document.querySelector('main')!.append(div);
		const embed = await import(new URL('../embed.js', location.href).href);
		embed.mountTryBlocks();
	});
	const late = page.locator('.sw-try[data-id="late"]');
	await expect(late.getByRole('button', { name: 'Send' })).toBeEnabled();
	await sendFrom(page, late, '/api/posts/1');
	// No DELETE export: Astro's 404 page, shown as text.
	await expect(late.locator('.sw-status')).toContainText('404');
	await expect(late.locator('.sw-headers')).toContainText('content-type: text/html');

	const redirect = block(page, 'api/latest');
	await sendFrom(page, redirect, '/api/posts/3');
	await expect(redirect.locator('.sw-note')).toContainText('Followed a redirect to /api/posts/3');
	await expect(redirect.locator('.sw-body')).toContainText('"title": "Works offline"');
	await screenshots(page, testInfo, 'docs-root');
});
