// Run by node.test.ts in its own Vitest process: onUnhandledRequest as a function
// sees a cross-origin request once, not again for happy-dom's CORS preflight.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { setupEmulator } from '../../../testing/node.mjs';

const seen: string[] = [];
await setupEmulator({
	root: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'project'),
	onUnhandledRequest: (request: Request) => void seen.push(`${request.method} ${request.url}`),
});

test('a cross-origin PUT is reported once', async () => {
	await fetch('https://api.example.com/x', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
	expect(seen).toEqual(['PUT https://api.example.com/x']);
});
