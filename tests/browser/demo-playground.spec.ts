// The playground page (demo/public/playground/): endpoints compiled in the page
// with esbuild-wasm, installed into the running worker, and called with fetch().
import path from 'node:path';
import type { Page } from '@playwright/test';
import { vendorMounts } from '../../demo/vendor-mounts.mjs';
import { expect as baseExpect, screenshots, serveProject, stopWorkers, test } from './fixtures.ts';

// Compiling and the worker's answers right after it can take seconds on a busy
// two-core machine (esbuild-wasm's JIT); these tests check behaviour, not speed.
const expect = baseExpect.configure({ timeout: 20_000 });

/** Opens the playground and waits for the worker and the compiler. */
async function openPlayground(page: Page, url: string) {
	await page.goto(`${url}/playground/`);
	await page.waitForSelector('body[data-ready="true"][data-compiler="ready"]', { timeout: 30_000 });
}

async function save(page: Page) {
	await page.getByRole('button', { name: 'Save & install' }).click();
	await expect(page.locator('#message')).not.toHaveClass(/busy/);
}

async function send(page: Page) {
	await page.locator('#send').click();
	await expect(page.locator('#send')).toBeEnabled();
}

test('the editor numbers lines, indents with Tab, keeps indentation on Enter, and undoes', async ({ page, demo }) => {
	await openPlayground(page, demo.url);
	const source = page.locator('#source');
	await source.fill('export const GET = () => {');
	await source.press('End');
	await source.press('Enter');
	await source.pressSequentially("return new Response('ok');");
	await source.press('Enter');
	await source.pressSequentially('};');
	await expect(source).toHaveValue("export const GET = () => {\n\treturn new Response('ok');\n\t};");
	await expect(page.locator('#code .gutter span')).toHaveCount(3);
	await source.press('Shift+Tab');
	await expect(source).toHaveValue("export const GET = () => {\n\treturn new Response('ok');\n};");
	await source.press('Control+a');
	await source.press('Tab');
	await expect(source).toHaveValue("\texport const GET = () => {\n\t\treturn new Response('ok');\n\t};");
	await source.press('Control+z');
	await expect(source).toHaveValue("export const GET = () => {\n\treturn new Response('ok');\n};");
	// Escape, then Tab leaves the editor instead of indenting.
	await source.press('Escape');
	await source.press('Tab');
	await expect(source).not.toBeFocused();
});

const NEW_VERSION = `import type { APIRoute } from 'astro';

export const GET: APIRoute = ({ params }) => Response.json({ version: 2, name: params.name });
`;

test('an endpoint edited in the playground answers with its new version', async ({ page, demo }, testInfo) => {
	await openPlayground(page, demo.url);
	// The first example is open: a JSON GET with a route param.
	await expect(page.locator('#file')).toHaveValue('api/hello/[name].ts');
	await save(page);
	await expect(page.locator('#message')).toContainText('Installed api/hello/[name].ts → /api/hello/[name] (GET)');
	await expect(page.locator('#installed')).toContainText('/api/hello/[name]');

	const [first] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/hello/ada?greeting=Hi')), send(page)]);
	expect(first.fromServiceWorker()).toBe(true);
	await expect(page.locator('#response .sw-body')).toContainText('"message": "Hi, ada!"');

	await page.locator('#source').fill(NEW_VERSION);
	await page.locator('#source').press('Control+Enter');
	await expect(page.locator('#message')).toContainText('Installed api/hello/[name].ts');
	await send(page);
	await expect(page.locator('#response .sw-body')).toHaveText(JSON.stringify({ version: 2, name: 'ada' }, null, 2));
	// The request log has both calls, answered by the installed endpoint.
	const rows = page.locator('#log .log-row');
	await expect(rows).toHaveCount(2);
	await expect(rows.first()).toContainText('GET');
	await expect(rows.first()).toContainText('/api/hello/ada?greeting=Hi');
	await expect(rows.first()).toContainText('installed');
	await expect(rows.first()).toContainText('src/pages/api/hello/[name].ts');
	await expect(rows.first().locator('.params')).toHaveText('name=ada');
	await screenshots(page, testInfo, 'playground-installed');
});

test('a syntax error shows its line and column, and the installed version keeps answering', async ({ page, demo }, testInfo) => {
	await openPlayground(page, demo.url);
	await save(page);
	await send(page);
	await expect(page.locator('#response .sw-body')).toContainText('"message": "Hi, ada!"');

	// Line 6: a tab, `const greeting = `, then a stray `)` at column 19.
	const broken = (await page.locator('#source').inputValue()).replace("const greeting = url.searchParams.get('greeting') ?? 'Hello';", 'const greeting = );');
	await page.locator('#source').fill(broken);
	await save(page);
	const message = page.locator('#message');
	await expect(message).toHaveClass(/error/);
	await expect(message).toContainText('Not installed: 1 compile error. The previously installed version keeps answering.');
	await expect(message.locator('.at')).toHaveText('api/hello/[name].ts:6:19');
	await expect(message).toContainText('Unexpected ")"');
	// The line is marked in the editor: its number and a band behind it.
	await expect(page.locator('#code .gutter .marked')).toHaveText('6');
	await expect(page.locator('#code .mark')).toBeVisible();
	await message.locator('.at').click();
	expect(await page.locator('#source').evaluate((t: HTMLTextAreaElement) => t.value.slice(0, t.selectionStart).split('\n').length)).toBe(6);

	await send(page);
	await expect(page.locator('#response .sw-body')).toContainText('"message": "Hi, ada!"');
	await screenshots(page, testInfo, 'playground-compile-error');

	// An error the worker finds when it evaluates the module: the message explains, the old version stays.
	await page.locator('#source').fill(`import { posts } from '../../lib/posts';\nexport const GET = () => Response.json(posts);\n`);
	await save(page);
	await expect(message).toContainText('Not installed:');
	await expect(message).toContainText('../../lib/posts');
	await expect(message).toContainText('The previously installed version keeps answering.');
	await send(page);
	await expect(page.locator('#response .sw-body')).toContainText('"message": "Hi, ada!"');
});

test('an installed endpoint survives a worker stop, and the playground reopens it', async ({ page, context, demo }) => {
	await openPlayground(page, demo.url);
	await page.locator('#file').fill('api/hello/[name].ts');
	await page.locator('#source').fill(NEW_VERSION);
	await save(page);
	await expect(page.locator('#message')).toContainText('Installed');

	await stopWorkers(context, page);
	const [answer] = await Promise.all([page.waitForResponse((r) => r.url().includes('/api/hello/ada')), send(page)]);
	expect(answer.fromServiceWorker()).toBe(true);
	await expect(page.locator('#response .sw-body')).toHaveText(JSON.stringify({ version: 2, name: 'ada' }, null, 2));

	await stopWorkers(context, page);
	await page.reload();
	await page.waitForSelector('body[data-ready="true"]');
	await expect(page.locator('#file')).toHaveValue('api/hello/[name].ts');
	await expect(page.locator('#source')).toHaveValue(NEW_VERSION);
	await expect(page.locator('#installed li')).toHaveCount(1);

	// Removed, the route is gone: the demo has no /api/hello/[name], so the request reaches the network.
	await page.locator('#installed').getByRole('button', { name: 'Remove' }).click();
	await expect(page.locator('#installed')).toContainText('None yet');
	const [gone] = await Promise.all([page.waitForResponse((r) => r.url().includes('/api/hello/ada')), send(page)]);
	expect(gone.fromServiceWorker()).toBe(false);
	await expect(page.locator('#response .sw-status')).toContainText('404');
});

test('the response view shows JSON pretty-printed and the cookie the endpoint set', async ({ page, demo }, testInfo) => {
	await openPlayground(page, demo.url);
	await page.locator('#example').selectOption({ label: 'POST a JSON body, set a cookie' });
	await expect(page.locator('#file')).toHaveValue('api/signin.ts');
	await save(page);
	await expect(page.locator('#message')).toContainText('Installed api/signin.ts → /api/signin (DELETE, GET, POST)');

	await expect(page.locator('#request select[name="method"]')).toHaveValue('POST');
	await send(page);
	const response = page.locator('#response');
	await expect(response.locator('.sw-status')).toContainText('201');
	await expect(response.locator('.sw-body')).toHaveText('{\n  "signedIn": "ada"\n}');
	await expect(response.locator('.sw-headers')).toContainText('content-type: application/json');
	const cookies = response.locator('.sw-cookies');
	await expect(cookies).toBeVisible();
	await expect(cookies).toContainText('Cookies set by the emulator');
	await expect(cookies.locator('.sw-cookie-pair')).toHaveText('user=ada');
	await expect(cookies).toContainText('HttpOnly');
	await expect(page.locator('#log .log-row').first()).toContainText('sets 1 cookie');
	// HttpOnly: the page's own cookies do not have it.
	expect(await page.evaluate(() => document.cookie)).not.toContain('user=');
	await screenshots(page, testInfo, 'playground-cookie');

	// The jar sends it back with the next request.
	await page.locator('#request select[name="method"]').selectOption('GET');
	await send(page);
	await expect(response.locator('.sw-body')).toHaveText('{\n  "user": "ada"\n}');
	await expect(response.locator('.sw-cookies')).toBeHidden();
});

test('an image response is shown as an image', async ({ page, demo }, testInfo) => {
	await openPlayground(page, demo.url);
	await page.locator('#example').selectOption({ label: 'An SVG image' });
	await save(page);
	await send(page);
	const img = page.locator('#response .sw-image img');
	await expect(img).toBeVisible();
	expect(await img.getAttribute('src')).toMatch(/^blob:/);
	expect(await img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
	await screenshots(page, testInfo, 'playground-image');
});

test('under a sub-path, the playground finds the worker, the routes and esbuild-wasm relative to itself', async ({ page }) => {
	const served = await serveProject(path.resolve('demo'), { base: '/project/docs/' }, vendorMounts);
	try {
		await openPlayground(page, `${served.site.url}/project/docs`);
		await expect(page.locator('#base')).toHaveText('/project/docs/');
		await save(page);
		await expect(page.locator('#message')).toContainText('Installed api/hello/[name].ts → /api/hello/[name]');
		const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/project/docs/api/hello/ada?greeting=Hi')), send(page)]);
		expect(answer.fromServiceWorker()).toBe(true);
		await expect(page.locator('#response .sw-body')).toContainText('"message": "Hi, ada!"');
		await expect(page.locator('#log .log-row').first()).toContainText('/project/docs/api/hello/ada?greeting=Hi');
	} finally {
		await served.close();
	}
});
