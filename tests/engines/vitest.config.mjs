// The three-engine suites: each test drives Chromium, Firefox or WebKit through
// tests/engines/index.mjs. One file at a time: a browser per test is heavy on a
// two-core machine, and timing-dependent failures are bugs to find, not to hide.
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		name: 'engines',
		root: new URL('../..', import.meta.url).pathname,
		include: ['tests/engines/**/*.test.ts'],
		testTimeout: 120_000,
		hookTimeout: 60_000,
		fileParallelism: false,
	},
});
