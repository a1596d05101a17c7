// 1000 requests through whichever mock the config's setup file installed
// (sw-endpoints' setupEmulator or MSW's setupServer), timed from inside the test.
// The same file runs against both; every response is read and folded into a
// digest, which the runner compares across variants, so neither can be fast by
// answering something else.
import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { benchOrigin, setupMarks, writeResult } from './timing.ts';

/** Rounds of four requests: list (every fifth filtered), one product (ids 21 and 22 are 404s), add to cart (every 25th invalid: 422), read the cart. */
const ROUNDS = 250;
const invalid = (i: number) => i % 25 === 24;

test('1000 requests: list, product by id, add to cart, read cart', async () => {
	const origin = benchOrigin();
	const digest = createHash('sha256');
	const statuses: Record<number, number> = {};
	const json = { 'content-type': 'application/json' };

	const start = performance.now();
	for (let i = 0; i < ROUNDS; i++) {
		const responses = [
			await fetch(`${origin}/api/products${i % 5 === 0 ? '?q=1' : ''}`),
			await fetch(`${origin}/api/products/${(i % 22) + 1}`),
			await fetch(`${origin}/api/cart`, { method: 'POST', headers: json, body: JSON.stringify({ productId: (i % 20) + 1, quantity: invalid(i) ? 0 : 1 }) }),
			await fetch(`${origin}/api/cart`),
		];
		for (const response of responses) {
			digest.update(`${response.status} ${await response.text()}\n`);
			statuses[response.status] = (statuses[response.status] ?? 0) + 1;
		}
	}
	const ms = performance.now() - start;

	const expected: Record<number, number> = { 200: 0, 201: 0, 404: 0, 422: 0 };
	for (let i = 0; i < ROUNDS; i++) {
		expected[200] += 2;
		expected[(i % 22) + 1 > 20 ? 404 : 200]++;
		expected[invalid(i) ? 422 : 201]++;
	}
	expect(statuses).toEqual(expected);
	const cart = await (await fetch(`${origin}/api/cart`)).json();
	expect(cart.lines).toHaveLength(20);
	expect(cart.count).toBe(expected[201]);

	const marks = setupMarks();
	const end = performance.now();
	writeResult({
		requests: 4 * ROUNDS,
		requestsMs: ms,
		setupMs: marks.setupEnd! - marks.setupStart!,
		fileMs: end - marks.setupStart!,
		digest: digest.digest('hex'),
		statuses,
		documentCookie: globalThis.document?.cookie ?? null,
	});
});
