// Vitest mode's reset after each test starts endpoint modules over (`freshModules`,
// the default), as Playwright mode does by giving each test a new worker: module
// state written in one test is gone in the next.
import { expect, test } from 'vitest';
import './setup.ts';

const hit = async () => (await (await fetch('/api/hits', { method: 'POST' })).json()).hits;

test('the first test counts to two in module state', async () => {
	expect([await hit(), await hit()]).toEqual([1, 2]);
});

test('the second test starts again at one', async () => {
	expect(await hit()).toBe(1);
});
