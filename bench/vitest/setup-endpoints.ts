// Setup of the sw-endpoints variants: setupEmulator over the bench project, the
// library imported inside the timed span so its loading counts as setup, as MSW's does.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mark } from './timing.ts';

mark('setupStart');
const { setupEmulator } = await import('../../testing/node.mjs');
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'project');
export const emulator = await setupEmulator({
	root,
	onUnhandledRequest: 'error',
	resetAfterEach: process.env.BENCH_VITEST_RESET !== 'off',
});
mark('setupEnd');
