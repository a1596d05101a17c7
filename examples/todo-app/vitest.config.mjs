import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		environment: 'happy-dom',
		include: ['tests/**/*.test.ts'],
		setupFiles: ['tests/setup.ts'],
		// Endpoint files are not imported by the tests (they run in the emulator):
		// watch mode reruns every test when one changes.
		forceRerunTriggers: ['**/src/pages/**', '**/src/middleware.*', '**/sw-endpoints.config.*'],
	},
});
