// Abort and timeout code under Vitest behaves as in a browser: fetch() rejects
// with the signal's reason, and the handler sees its request's signal abort.
import { expect, test } from 'vitest';
import { emulator } from './setup.ts';

test('an aborted signal rejects fetch() with AbortError before anything runs', async () => {
	await expect(fetch('/api/items', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
});

test('AbortSignal.timeout on a handler that never settles rejects with TimeoutError, and the handler sees the abort', async () => {
	await emulator.use('GET', '/api/hang', (context: any) => {
		(globalThis as any).hangAborted = new Promise((resolve) => context.request.signal.addEventListener('abort', () => resolve(true)));
		return new Promise(() => {});
	});
	await expect(fetch('/api/hang', { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
	expect(await (globalThis as any).hangAborted).toBe(true);
});

test('a controller aborting mid-request rejects with its reason', async () => {
	await emulator.use('GET', '/api/slow', () => new Promise((resolve) => setTimeout(() => resolve(Response.json({ late: true })), 5_000)));
	const controller = new AbortController();
	const pending = fetch('/api/slow', { signal: controller.signal });
	setTimeout(() => controller.abort(), 50);
	await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
});
