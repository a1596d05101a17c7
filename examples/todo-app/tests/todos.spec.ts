// The same app in Chromium: the endpoints run in the service worker.
import { expect, test } from 'sw-endpoints/playwright';

test.use({ emulatorOptions: { root: new URL('..', import.meta.url).pathname } });

test('adds, completes and deletes to-dos; they survive a reload', async ({ page }) => {
	await page.goto('./');
	const input = page.getByLabel('New to-do');
	await input.fill('Buy milk');
	await input.press('Enter');
	await expect(page.locator('li span')).toHaveText(['Buy milk']);
	await input.fill('Write tests');
	await page.getByRole('button', { name: 'Add' }).click();
	await expect(page.locator('li span')).toHaveText(['Buy milk', 'Write tests']);
	await page.locator('li').first().getByRole('checkbox').check();
	await page.locator('li').last().getByRole('button', { name: 'Delete' }).click();
	await expect(page.locator('li span')).toHaveText(['Buy milk']);
	await page.reload();
	await expect(page.locator('li span')).toHaveText(['Buy milk']);
	await expect(page.locator('li').first().getByRole('checkbox')).toBeChecked();
});

test('each test starts with an empty list', async ({ page }) => {
	await page.goto('./');
	await expect(page.locator('#app')).toHaveAttribute('data-loaded', 'true');
	await expect(page.locator('li')).toHaveCount(0);
});

test('starts from seeded data', async ({ page, emulator }) => {
	await emulator.seed({ session: { todos: [{ id: 'a', text: 'Seeded', done: true }] } });
	await page.goto('./');
	await expect(page.locator('li span')).toHaveText(['Seeded']);
});

test('says so when the network fails', async ({ page, emulator }) => {
	await emulator.fail('/api/todos', { method: 'POST' });
	await page.goto('./');
	await page.getByLabel('New to-do').fill('Lost');
	await page.getByRole('button', { name: 'Add' }).click();
	await expect(page.getByRole('alert')).toHaveText('You seem to be offline. Try again.');
});

test('handles a server error from an override, and logs it', async ({ page, emulator }) => {
	await emulator.use('GET', '/api/todos', () => Response.json({ error: 'Maintenance, back soon.' }, { status: 503 }));
	await page.goto('./');
	await expect(page.getByRole('alert')).toHaveText('Maintenance, back soon.');
	// Records arrive from the worker beside the responses: poll.
	await expect.poll(() => emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/todos 503']);
});
