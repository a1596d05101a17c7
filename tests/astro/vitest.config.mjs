// The Astro adapter's tests (tests/astro): sites built with real Astro 7
// (scripts/astro-toolchain.mjs: Node 22 and Astro from tests/astro-toolchain),
// served and used in browsers. One file at a time: each runs Astro and browsers.
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		name: 'astro',
		root: new URL('../..', import.meta.url).pathname,
		include: ['tests/astro/**/*.test.ts'],
		testTimeout: 120_000,
		hookTimeout: 300_000,
		fileParallelism: false,
	},
});
