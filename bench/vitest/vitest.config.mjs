// The Vitest benchmark's config; bench/vitest/run.mjs picks the variant through
// the environment:
//   BENCH_VITEST_FILE  requests | reset   (requests.test.ts or reset.test.ts)
//   BENCH_VITEST_MOCK  endpoints | msw    (which setup file)
//   BENCH_VITEST_ENV   happy-dom | node
//   BENCH_VITEST_RESET off                (setupEmulator's resetAfterEach: false)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const file = process.env.BENCH_VITEST_FILE ?? 'requests';
const mock = process.env.BENCH_VITEST_MOCK ?? 'endpoints';

export default defineConfig({
	root: here,
	// Vite's cache would otherwise land in bench/vitest/node_modules.
	cacheDir: path.join(repo, 'node_modules', '.vite', 'bench-vitest'),
	test: {
		include: [`${file}.test.ts`],
		environment: process.env.BENCH_VITEST_ENV ?? 'happy-dom',
		setupFiles: [mock === 'msw' ? './setup-msw.ts' : './setup-endpoints.ts'],
		// Used from the repository rather than node_modules, the package's own files
		// must stay Node's: Vitest would otherwise transform them, and their import()
		// of the bundle they write would then fail.
		server: { deps: { external: [new RegExp(`^${escape(repo)}/(?:node|bundler|sw)/`), new RegExp(`^${escape(repo)}/build\\.mjs$`)] } },
		testTimeout: 60_000,
	},
});
