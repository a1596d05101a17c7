// The installed-package test (tests/package): `npm pack` installed into a fresh
// Vite app outside the repository. Slow (an npm install, two Vite servers, a
// browser), so it runs on its own, one step after another.
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		name: 'package',
		root: new URL('../..', import.meta.url).pathname,
		include: ['tests/package/**/*.test.ts'],
		testTimeout: 120_000,
		hookTimeout: 300_000,
		fileParallelism: false,
	},
});
