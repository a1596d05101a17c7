// Vitest setup: the app's same-origin fetch() goes to src/pages/api, in-process.
// Anything else (another origin, a path no endpoint answers) fails the test.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupEmulator } from 'sw-endpoints/node';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const emulator = await setupEmulator({ root, onUnhandledRequest: 'error' });
