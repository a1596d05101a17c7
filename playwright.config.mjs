// Browser tests drive real Chromium (the system one where present: scripts/chromium.mjs).
import { defineConfig } from '@playwright/test';
import { launchOptions } from './scripts/chromium.mjs';

export default defineConfig({
	testDir: 'tests/browser',
	timeout: 60_000,
	workers: 2,
	retries: 0,
	reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : 'list',
	use: { browserName: 'chromium', launchOptions: launchOptions() },
});
