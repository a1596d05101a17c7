// Unit tests run in Node; a test file that needs a DOM opts into happy-dom with
// `// @vitest-environment happy-dom`. The contract's Vitest mode runs with
// setupEmulator under happy-dom; browser tests are Playwright's (tests/browser).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * This package's own files, for `server.deps.external`: Vitest transforms files
 * outside node_modules, and this package's dynamic import() of the bundle it
 * writes must stay Node's. (Installed from npm, it is in node_modules already.)
 */
export const packageFiles = [new RegExp(`^${here.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:node|bundler|sw)/`), new RegExp(`^${here.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/build\\.mjs$`)];

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
					server: { deps: { external: packageFiles } },
					testTimeout: 30_000,
				},
			},
		],
	},
});
