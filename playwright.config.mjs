// Browser tests drive real Chromium (the system one where present: scripts/browsers.mjs).
import { defineConfig } from '@playwright/test';
import { launchOptions } from './scripts/browsers.mjs';

export default defineConfig({
	projects: [
		{ name: 'browser', testDir: 'tests/browser' },
		// The examples' own Playwright tests, as a team that copied one would run them.
		{ name: 'examples', testDir: 'examples', testMatch: '**/tests/*.spec.ts' },
	],
	timeout: 60_000,
	// Two Chromiums on a shared two-core machine: a step can take longer than Playwright's 5 s default.
	expect: { timeout: 10_000 },
	workers: 2,
	retries: 0,
	reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : 'list',
	use: { browserName: 'chromium', launchOptions: launchOptions() },
});
