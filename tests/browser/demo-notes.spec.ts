// The notes app (demo/public/notes/) as a person uses it: sign in, write, edit,
// pin and delete notes, then go offline, reload, have the worker stopped, sign
// out. Its API (demo/src/pages/api/auth, api/notes) is answered by the worker.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openDemo, pageFetch, screenshots, serveProject, stopWorkers, test, type Site } from './fixtures.ts';

async function openNotes(page: Page, site: Site, base = '') {
	await openDemo(page, `${site.url}${base}/notes/`);
}

async function signIn(page: Page, username: string, password: string) {
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: 'Your notes', level: 1 })).toBeVisible();
	await expect(page.locator('#who')).toHaveText(username);
}

async function addNote(page: Page, text: string) {
	await page.getByLabel('New note').fill(text);
	await page.getByRole('button', { name: 'Add note' }).click();
	await expect(note(page, text.split('\n')[0])).toBeVisible();
}

/** The note whose text contains `text`. */
function note(page: Page, text: string) {
	return page.getByRole('list', { name: 'Notes' }).getByRole('listitem').filter({ hasText: text });
}

/** The note titles, in the order shown. */
function titles(page: Page) {
	return page.locator('#notes .note-title');
}

/** The signed-in user's notes as the API returns them to the page. */
async function apiNotes(page: Page) {
	const answer = await pageFetch(page, '/api/notes');
	expect(answer).toMatchObject({ status: 200, fromWorker: true });
	return JSON.parse(answer.text) as Array<{ text: string; pinned: boolean }>;
}

test('a new user signs in, adds, edits, pins and deletes notes', async ({ page, demo }, testInfo) => {
	await openNotes(page, demo);
	await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
	await expect(page.getByText('A new username creates an account')).toBeVisible();
	await screenshots(page, testInfo, 'notes-sign-in');

	// Too short a password is refused before anything is sent, and by the API.
	await page.getByLabel('Username').fill('ada');
	await page.getByLabel('Password').fill('abc');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.locator('#password-error')).toHaveText('Use at least 4 characters.');
	const short = await pageFetch(page, '/api/auth/sign-in', {
		method: 'POST',
		body: JSON.stringify({ username: 'ada', password: 'abc' }),
		headers: { 'content-type': 'application/json' },
	});
	expect(short).toMatchObject({ status: 422, fromWorker: true });

	await signIn(page, 'ada', 'lovelace');
	// A new account starts with a welcome note.
	await expect(titles(page)).toHaveText(['Welcome to your notes']);

	await addNote(page, 'Groceries\nmilk, eggs, flour');
	await addNote(page, 'Call Bob');
	await expect(titles(page)).toHaveText(['Call Bob', 'Groceries', 'Welcome to your notes']);
	await expect(note(page, 'Groceries').locator('.note-body')).toHaveText('milk, eggs, flour');
	await expect(page.locator('#count')).toHaveText('3 notes');

	// Edit: the textarea replaces the note; saving moves it to the top as the newest change.
	await note(page, 'Groceries').getByRole('button', { name: 'Edit' }).click();
	await page.getByLabel('Note text').fill('Groceries\nmilk, eggs, flour, butter');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(titles(page)).toHaveText(['Groceries', 'Call Bob', 'Welcome to your notes']);
	await expect(note(page, 'Groceries').locator('.note-body')).toHaveText('milk, eggs, flour, butter');

	// Pinned notes come first.
	await note(page, 'Call Bob').getByRole('button', { name: 'Pin' }).click();
	await expect(note(page, 'Call Bob').getByRole('button', { name: 'Unpin' })).toHaveAttribute('aria-pressed', 'true');
	await expect(titles(page)).toHaveText(['Call Bob', 'Groceries', 'Welcome to your notes']);

	await note(page, 'Welcome to your notes').getByRole('button', { name: 'Delete' }).click();
	await expect(titles(page)).toHaveText(['Call Bob', 'Groceries']);

	// Search goes through the API's ?q=.
	await page.getByLabel('Search notes').fill('BUTTER');
	await expect(titles(page)).toHaveText(['Groceries']);
	await page.getByLabel('Search notes').fill('');
	await expect(titles(page)).toHaveText(['Call Bob', 'Groceries']);

	expect(await apiNotes(page)).toMatchObject([
		{ text: 'Call Bob', pinned: true },
		{ text: 'Groceries\nmilk, eggs, flour, butter', pinned: false },
	]);
	expect(demo.hits.filter((h) => h.includes('/api/'))).toEqual([]);
	await screenshots(page, testInfo, 'notes-list');
});

test('after one visit the app works offline, reloads included', async ({ page, context, demo }, testInfo) => {
	await openNotes(page, demo);
	await signIn(page, 'grace', 'hopper');
	await addNote(page, 'Written online');
	// The page's files are cached once the worker says so.
	await page.waitForSelector('body[data-offline-ready="true"]', { state: 'attached' });
	await expect(page.locator('#connection')).toHaveText('Online · ready offline');

	await context.setOffline(true);
	await expect(page.locator('#connection')).toHaveText('Offline · still working');
	await addNote(page, 'Written offline');

	await page.reload();
	await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
	await expect(page.locator('#who')).toHaveText('grace');
	await expect(titles(page)).toHaveText(['Written offline', 'Written online', 'Welcome to your notes']);

	await note(page, 'Written online').getByRole('button', { name: 'Edit' }).click();
	await page.getByLabel('Note text').fill('Written online, edited offline');
	await page.getByLabel('Note text').press('Control+Enter');
	await expect(titles(page)).toHaveText(['Written online, edited offline', 'Written offline', 'Welcome to your notes']);
	await note(page, 'Welcome to your notes').getByRole('button', { name: 'Delete' }).click();
	await expect(titles(page)).toHaveText(['Written online, edited offline', 'Written offline']);
	await expect(page.locator('#connection')).toHaveText('Offline · still working');
	await screenshots(page, testInfo, 'notes-offline');

	// Offline the worker answers /notes (no slash) with the page too, which moves itself to /notes/.
	await page.goto(`${demo.url}/notes`);
	await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
	expect(page.url()).toBe(`${demo.url}/notes/`);
	await expect(titles(page)).toHaveText(['Written online, edited offline', 'Written offline']);

	// Signing out and in works offline too.
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByLabel('Username')).toHaveValue('grace');
	await page.getByLabel('Password').fill('hopper');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(titles(page)).toHaveText(['Written online, edited offline', 'Written offline']);

	// The landing page, reached by a link, loads offline as well.
	await page.getByRole('link', { name: 'sw-endpoints' }).first().click();
	await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
	await expect(page.getByRole('heading', { name: 'sw-endpoints' })).toBeVisible();
});

test('a stopped worker keeps the sign-in and the notes', async ({ page, context, demo }) => {
	await openNotes(page, demo);
	await signIn(page, 'linus', 'penguin');
	await addNote(page, 'Before the stop');

	await stopWorkers(context, page);
	// The next request starts a new worker, which reads the session back from IndexedDB.
	await addNote(page, 'After the stop');
	await expect(titles(page)).toHaveText(['After the stop', 'Before the stop', 'Welcome to your notes']);

	await stopWorkers(context, page);
	await page.reload();
	await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
	await expect(page.locator('#who')).toHaveText('linus');
	await expect(titles(page)).toHaveText(['After the stop', 'Before the stop', 'Welcome to your notes']);
});

test('signing out ends the session; each account keeps its own notes behind its password', async ({ page, demo }) => {
	await openNotes(page, demo);
	await signIn(page, 'ada', 'lovelace');
	await addNote(page, 'Ada’s note');
	await page.getByRole('button', { name: 'Sign out' }).click();

	await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
	// The username is remembered in a cookie the sign-in form reads back.
	await expect(page.getByLabel('Username')).toHaveValue('ada');
	const after = await pageFetch(page, '/api/notes');
	expect(after).toMatchObject({ status: 401, fromWorker: true });
	expect(JSON.parse(after.text)).toEqual({ error: 'Sign in first.' });

	// Another account sees none of ada's notes.
	await page.getByLabel('Username').fill('bob');
	await signIn(page, 'bob', 'builder');
	await expect(titles(page)).toHaveText(['Welcome to your notes']);
	await page.getByRole('button', { name: 'Sign out' }).click();

	// A wrong password is refused; the right one brings ada's notes back.
	await page.getByLabel('Username').fill('ada');
	await page.getByLabel('Password').fill('wrong password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.locator('#password-error')).toHaveText("That is not ada's password.");
	await signIn(page, 'ada', 'lovelace');
	await expect(titles(page)).toHaveText(['Ada’s note', 'Welcome to your notes']);
});

test('the notes API answers 401 JSON to a visitor who is not signed in', async ({ page, demo }) => {
	await openNotes(page, demo);
	const json = { 'content-type': 'application/json' };
	for (const [url, init] of [
		['/api/notes', {}],
		['/api/notes', { method: 'POST', body: '{"text":"x"}', headers: json }],
		['/api/notes/some-id', {}],
		['/api/notes/some-id', { method: 'PATCH', body: '{"pinned":true}', headers: json }],
		['/api/notes/some-id', { method: 'DELETE' }],
		['/api/auth/me', {}],
	] as const) {
		const answer = await pageFetch(page, url, init);
		expect(answer, `${init.method ?? 'GET'} ${url}`).toMatchObject({ status: 401, fromWorker: true });
		expect(answer.headers['content-type']).toContain('application/json');
		expect(JSON.parse(answer.text)).toMatchObject({ error: 'Sign in first.' });
	}
});

test.describe('the notes app under a sub-path base, as on GitHub Pages', () => {
	let served: Awaited<ReturnType<typeof serveProject>>;
	test.beforeAll(async () => {
		served = await serveProject(path.resolve('demo'), { base: '/project/' });
	});
	test.afterAll(async () => {
		await served.close();
	});

	test('signs in and keeps notes, calling the API under the base', async ({ page }) => {
		await openNotes(page, served.site, '/project');
		await signIn(page, 'ada', 'lovelace');
		const [added] = await Promise.all([
			page.waitForResponse((r) => new URL(r.url()).pathname === '/project/api/notes' && r.request().method() === 'POST'),
			addNote(page, 'Under a base'),
		]);
		expect(added.fromServiceWorker()).toBe(true);
		await page.reload();
		await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
		await expect(titles(page)).toHaveText(['Under a base', 'Welcome to your notes']);
		expect(served.site.hits.filter((h) => h.includes('/api/'))).toEqual([]);
	});
});
