// Config of the swallowed-request fixture (run as a child process by node.test.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['**/*.fixture.ts'],
		environment: 'happy-dom',
	},
});
