// Unit tests run in Node; a test file that needs a DOM opts into happy-dom with
// `// @vitest-environment happy-dom`. Browser tests are Playwright's (tests/browser).
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/unit/**/*.test.ts'],
		testTimeout: 30_000,
	},
});
