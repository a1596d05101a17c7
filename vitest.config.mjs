// Unit tests run in Node; a test file that needs a DOM opts into happy-dom with
// `// @vitest-environment happy-dom`. The contract's Vitest mode runs with
// setupEmulator under happy-dom; browser tests are Playwright's (tests/browser,
// examples/*/tests/*.spec.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		testTimeout: 30_000,
		projects: [
			{ test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 30_000 } },
			{
				test: {
					name: 'contract',
					include: ['tests/contract/**/*.test.ts'],
					environment: 'happy-dom',
					setupFiles: ['tests/contract/setup.ts'],
					testTimeout: 30_000,
				},
			},
			// Each example runs with its own config, as a team that copied it would.
			'examples/*/vitest.config.mjs',
		],
	},
});
