// Run by node.test.ts in its own Vitest process: an app that swallows a failed
// request must still fail its test when onUnhandledRequest is 'error'.
import { test } from 'vitest';
import '../setup.ts';

test('the app swallows a request to an unknown API', async () => {
	await fetch('https://api.example.com/v1/users?id=3').catch(() => undefined);
});
