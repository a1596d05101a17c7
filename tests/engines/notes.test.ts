// The demo's notes app in every engine, driven through its DOM: sign in (an
// HttpOnly session cookie and a page-visible username cookie), add, pin and
// delete notes, reload, keep working with the server gone, sign out and in.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINES, freshBrowser, openApp, serveProject, waitReady } from './helpers.ts';
import type { EnginePage } from './index.mjs';

/** Fills the sign-in form and submits it; waits for the notes view of `username`. */
async function signIn(page: EnginePage, username: string, password: string) {
	await page.evaluate(
		(u: string, p: string) => {
			const form = document.querySelector<HTMLFormElement>('#signin-form')!;
			(form.elements.namedItem('username') as HTMLInputElement).value = u;
			(form.elements.namedItem('password') as HTMLInputElement).value = p;
			form.requestSubmit();
		},
		username,
		password,
	);
	await page.waitFor((u: string) => !document.querySelector<HTMLElement>('#notes-view')!.hidden && document.querySelector('#who')?.textContent === u, {
		args: [username],
	});
}

async function addNote(page: EnginePage, text: string) {
	await page.evaluate((t: string) => {
		document.querySelector<HTMLTextAreaElement>('#new-text')!.value = t;
		document.querySelector<HTMLFormElement>('#new-note')!.requestSubmit();
	}, text);
	await page.waitFor((t: string) => [...document.querySelectorAll('#notes .note-title')].some((e) => e.textContent === t), { args: [text.split('\n')[0]] });
}

/** Clicks the button labelled `label` on the note titled `title`. */
async function clickOnNote(page: EnginePage, title: string, label: string) {
	await page.evaluate(
		(t: string, l: string) => {
			const item = [...document.querySelectorAll('#notes li')].find((li) => li.querySelector('.note-title')?.textContent === t)!;
			[...item.querySelectorAll('button')].find((b) => b.textContent === l)!.click();
		},
		title,
		label,
	);
}

const titles = (page: EnginePage): Promise<string[]> => page.evaluate(() => [...document.querySelectorAll('#notes .note-title')].map((e) => e.textContent));
const waitTitles = (page: EnginePage, expected: string[]) =>
	page.waitFor((e: string[]) => JSON.stringify([...document.querySelectorAll('#notes .note-title')].map((x) => x.textContent)) === JSON.stringify(e), {
		args: [expected],
	});

describe.each(ENGINES)('%s', (engine) => {
	const ctx = freshBrowser(engine);

	it('signs in, keeps notes across reloads and with the server gone, signs out and back in', async () => {
		const site = await serveProject(path.resolve('demo'));
		let closed = false;
		try {
			const page = await openApp(ctx.browser, `${site.url}/notes/`);
			await signIn(page, 'ada', 'lovelace');
			await waitTitles(page, ['Welcome to your notes']);
			await addNote(page, 'Groceries\nmilk, eggs');
			await addNote(page, 'Call Bob');
			await clickOnNote(page, 'Call Bob', 'Pin');
			await page.waitFor(() => [...document.querySelectorAll('#notes button')].some((b) => b.textContent === 'Unpin'));
			await waitTitles(page, ['Call Bob', 'Groceries', 'Welcome to your notes']);
			// the HttpOnly session cookie never shows; the remembered username does
			const cookie: string = await page.evaluate(() => document.cookie);
			expect(cookie).not.toContain('astro-session');

			await page.reload();
			await waitReady(page);
			await waitTitles(page, ['Call Bob', 'Groceries', 'Welcome to your notes']);

			await page.waitFor(() => document.body.dataset.offlineReady === 'true');
			await site.close();
			closed = true;
			await page.reload();
			await waitReady(page);
			expect(await page.evaluate(() => document.querySelector('#who')?.textContent)).toBe('ada');
			await addNote(page, 'Written offline');
			await clickOnNote(page, 'Welcome to your notes', 'Delete');
			await waitTitles(page, ['Call Bob', 'Written offline', 'Groceries']);

			await page.evaluate(() => document.querySelector<HTMLButtonElement>('#sign-out')!.click());
			await page.waitFor(() => !document.querySelector<HTMLElement>('#signin-view')!.hidden);
			// The username is remembered in a page-visible cookie the form reads back.
			expect(await page.evaluate(() => (document.querySelector('#signin-form input[name=username]') as HTMLInputElement).value)).toBe('ada');
			const after = await page.evaluate(async () => (await fetch('/api/notes')).status);
			expect(after).toBe(401);
			await signIn(page, 'ada', 'lovelace');
			expect(await titles(page)).toEqual(['Call Bob', 'Written offline', 'Groceries']);
		} finally {
			if (!closed) await site.close();
		}
	});
});
