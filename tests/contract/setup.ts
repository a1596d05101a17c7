// Vitest mode of the contract: the project's endpoints behind happy-dom's fetch.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupEmulator } from '../../testing/node.mjs';

export const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'project');
export const emulator = await setupEmulator({ root, onUnhandledRequest: 'error' });
