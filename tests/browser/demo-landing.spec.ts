// The demo's landing page (demo/public/index.html): what it says, where it
// links, and its live request explorer, at phone and desktop widths.
import path from 'node:path';
import { expect, openDemo, screenshots, serveProject, test } from './fixtures.ts';

test('the landing page says what sw-endpoints does and answers a request live', async ({ page, demo }, testInfo) => {
	await openDemo(page, `${demo.url}/`);
	await expect(page.getByRole('heading', { name: 'sw-endpoints', level: 1 })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'How it works' })).toBeVisible();
	await expect(page.locator('.lede')).toContainText('service worker');
	await expect(page.locator('.facts')).toContainText('Works offline');
	await expect(page.locator('.facts')).toContainText('Any static host');
	await expect(page.locator('#status')).toContainText('ready offline');

	const [answer] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/api/posts/99')),
		page.getByRole('button', { name: /api\/posts\/99/ }).click(),
	]);
	expect(answer.fromServiceWorker()).toBe(true);
	await expect(page.locator('#result')).toContainText('404');
	await expect(page.locator('#result')).toContainText('"error": "no post 99"');

	await page.getByLabel('Method').selectOption('POST');
	await page.getByLabel('Path').fill('/api/visits');
	await page.getByRole('button', { name: 'Send' }).click();
	await expect(page.locator('#result')).toContainText('"visits": 1');
	await screenshots(page, testInfo, 'landing');
});

test('the landing page links to the playground, the live docs and the notes app, and each loads', async ({ page, demo }) => {
	await openDemo(page, `${demo.url}/`);
	const nav = page.getByRole('navigation', { name: 'Demos' });
	const targets = [
		{ link: 'Playground', href: './playground/', heading: 'Endpoint playground' },
		{ link: 'Live docs', href: './docs/', heading: 'Demo API' },
		{ link: 'Notes app', href: './notes/', heading: 'Sign in' },
	];
	for (const target of targets) {
		await expect(nav.getByRole('link', { name: target.link })).toHaveAttribute('href', target.href);
		// The cards further down lead to the same pages.
		await expect(page.locator(`.cards a[href="${target.href}"]`)).toBeVisible();
	}
	for (const target of targets) {
		await page.goto(`${demo.url}/`);
		await nav.getByRole('link', { name: target.link }).click();
		await expect(page).toHaveURL(`${demo.url}/${target.href.slice(2)}`);
		await expect(page.getByRole('heading', { name: target.heading, level: 1 })).toBeVisible();
	}
});

test('under a sub-path base the explorer sends its requests under the base', async ({ page }) => {
	const served = await serveProject(path.resolve('demo'), { base: '/project/' });
	try {
		await openDemo(page, `${served.site.url}/project/`);
		const [answer] = await Promise.all([
			page.waitForResponse((r) => new URL(r.url()).pathname === '/project/api/hello'),
			page.getByRole('button', { name: /api\/hello/ }).click(),
		]);
		expect(answer.fromServiceWorker()).toBe(true);
		await expect(page.locator('#result')).toContainText('"hello": "Astro"');
	} finally {
		await served.close();
	}
});
