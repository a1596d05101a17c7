// The worker path in real Chromium: what the worker answers, what it leaves to
// the network, and how it takes control of the page.
import { openDemo, pageFetch, serveProject, test, expect } from './fixtures.ts';
import path from 'node:path';

test('the demo page’s API requests are answered by the worker', async ({ page, demo }) => {
	await openDemo(page, `${demo.url}/`);
	const post = await pageFetch(page, '/api/posts/2');
	expect(post).toMatchObject({ status: 200, fromWorker: true });
	expect(JSON.parse(post.text)).toMatchObject({ id: '2', title: 'File routes, Astro rules' });
	// Clicking an example in the UI goes through the same worker.
	const [clicked] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/api/hello?name=Astro')),
		page.getByRole('button', { name: /api\/hello/ }).click(),
	]);
	expect(clicked.fromServiceWorker()).toBe(true);
	await expect(page.locator('#result')).toContainText('"hello": "Astro"');
	expect(demo.hits.filter((h) => h.startsWith('/api/'))).toEqual([]);
});

test('requests that match no route go to the network untouched', async ({ page, demo }) => {
	await openDemo(page, `${demo.url}/`);
	// Neither a route nor a build file (those are precached): the network answers.
	const file = await pageFetch(page, '/not-in-the-build.css');
	expect(file).toMatchObject({ status: 404, fromWorker: false });
	expect(demo.hits).toContain('/not-in-the-build.css');
	const missing = await pageFetch(page, '/api/not-a-route');
	expect(missing).toMatchObject({ status: 404, fromWorker: false });
	expect(demo.hits).toContain('/api/not-a-route');
});

test('cross-origin requests are never intercepted', async ({ page, demo }) => {
	const other = await serveProject(path.resolve('demo'));
	try {
		await openDemo(page, `${demo.url}/`);
		// Same path as a demo route, other origin (another port): the network answers.
		const cross = await pageFetch(page, `${other.site.url}/api/posts/2`, { mode: 'no-cors' });
		expect(cross.fromWorker).toBe(false);
		expect(other.site.hits).toContain('/api/posts/2');
	} finally {
		await other.close();
	}
});

test('the first load is controlled before startEmulator resolves', async ({ page, demo }) => {
	await page.addInitScript(() => {
		(window as any).controlledAtStart = !!navigator.serviceWorker.controller;
	});
	await openDemo(page, `${demo.url}/`);
	expect(await page.evaluate(() => (window as any).controlledAtStart)).toBe(false);
	expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	const first = await pageFetch(page, '/api/hello');
	expect(first).toMatchObject({ status: 200, fromWorker: true });
});

test('after a shift-reload (no controller) the page is claimed again', async ({ page, context, demo }) => {
	await openDemo(page, `${demo.url}/`);
	await page.addInitScript(() => {
		(window as any).controlledAtStart = !!navigator.serviceWorker.controller;
	});
	// A reload that ignores the cache is what Shift+Reload does: the page loads without a controller.
	const cdp = await context.newCDPSession(page);
	await Promise.all([page.waitForEvent('load'), cdp.send('Page.reload', { ignoreCache: true })]);
	await page.waitForSelector('body[data-ready="true"]');
	expect(await page.evaluate(() => (window as any).controlledAtStart)).toBe(false);
	const after = await pageFetch(page, '/api/posts');
	expect(after).toMatchObject({ status: 200, fromWorker: true });
});

test('a throwing handler gives a 500, logs method, URL and route, and the worker keeps serving', async ({ page, context, demo }) => {
	const logs: string[] = [];
	context.on('serviceworker', (worker) => worker.on('console', (m) => logs.push(m.text())));
	page.on('console', (m) => logs.push(m.text()));
	await openDemo(page, `${demo.url}/`);
	const boom = await pageFetch(page, '/api/boom');
	expect(boom).toMatchObject({ status: 500, fromWorker: true, text: '' });
	const next = await pageFetch(page, '/api/hello');
	expect(next).toMatchObject({ status: 200, fromWorker: true });
	const workers = context.serviceWorkers();
	expect(workers.length).toBeGreaterThan(0);
	await expect.poll(() => logs.join('\n')).toContain('GET');
	await expect.poll(() => logs.find((l) => l.includes('/api/boom') && l.includes('threw')) ?? '').toContain('route /api/boom');
});

test('same-origin POSTs pass Astro’s origin check; a cross-site form post is refused', async ({ page, demo }) => {
	await openDemo(page, `${demo.url}/`);
	// text/plain is a "form-like" type: Astro refuses it without a same-origin Origin.
	const own = await pageFetch(page, '/api/echo', { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } });
	expect(own).toMatchObject({ status: 201, fromWorker: true });
	expect(JSON.parse(own.text)).toMatchObject({ body: 'hi' });

	const other = await serveProject(path.resolve('demo'));
	try {
		await page.goto(`${other.site.url}/`);
		const [answer] = await Promise.all([
			page.waitForResponse((r) => r.url() === `${demo.url}/api/echo`),
			page.evaluate((target) => {
				const form = document.createElement('form');
				form.method = 'POST';
				form.action = target;
				form.innerHTML = '<input name="a" value="1">';
				document.body.append(form);
				form.submit();
			}, `${demo.url}/api/echo`),
		]);
		expect(answer.status()).toBe(403);
		expect(answer.fromServiceWorker()).toBe(true);
		expect(await answer.text()).toBe('Cross-site POST form submissions are forbidden');
	} finally {
		await other.close();
	}
});
