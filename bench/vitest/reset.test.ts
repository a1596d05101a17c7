// What setupEmulator's reset after each test costs: 500 tests of one request each,
// run with the default reset after each test and (BENCH_VITEST_RESET=off) without,
// then, in the default run, reset() timed on its own against the requests that
// filled the state it clears.
import { expect, test } from 'vitest';
import { emulator } from './setup-endpoints.ts';
import { benchOrigin, writeResult } from './timing.ts';

const TESTS = 500;
/** Direct timings: this many times, REQUESTS_BEFORE_RESET requests (adds to the cart, then a read) that leave a session and cookies, then one reset(). */
const RESETS = 200;
const REQUESTS_BEFORE_RESET = 3;
const resetAfterEach = process.env.BENCH_VITEST_RESET !== 'off';

const addToCart = (productId: number) =>
	fetch(`${benchOrigin()}/api/cart`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId, quantity: 1 }) });

/** When each test started: the gap to the next start is the test, its afterEach and Vitest's own per-test work. */
const starts: number[] = [];

for (let i = 0; i < TESTS; i++) {
	test(`test ${i + 1}: one request`, async () => {
		starts.push(performance.now());
		const response = await addToCart((i % 20) + 1);
		const line = await response.json();
		expect(response.status).toBe(201);
		// With a reset after each test every test starts with an empty cart; without, the cart keeps growing.
		expect(line.quantity).toBe(resetAfterEach ? 1 : Math.floor(i / 20) + 1);
	});
}

test('reset() on its own', async () => {
	// Also the end mark of the off run. This test starts once the last of the others has finished, its afterEach included.
	starts.push(performance.now());
	const testMs = starts.slice(1).map((t, i) => t - starts[i]);
	const resetMs: number[] = [];
	const requestMs: number[] = [];
	if (resetAfterEach) {
		for (let k = 0; k < RESETS; k++) {
			for (let r = 0; r < REQUESTS_BEFORE_RESET; r++) {
				const start = performance.now();
				const response = await (r === REQUESTS_BEFORE_RESET - 1 ? fetch(`${benchOrigin()}/api/cart`) : addToCart(((k + r) % 20) + 1));
				await response.text();
				requestMs.push(performance.now() - start);
			}
			expect(emulator.requests).toHaveLength(REQUESTS_BEFORE_RESET);
			const start = performance.now();
			await emulator.reset();
			resetMs.push(performance.now() - start);
			expect(emulator.requests).toHaveLength(0);
		}
		expect(globalThis.document?.cookie ?? '').toBe('');
	}
	writeResult({ tests: TESTS, resetAfterEach, testsMs: starts[TESTS] - starts[0], testMs, resetMs, requestMs });
});
