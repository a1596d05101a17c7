// Chromium through Playwright: the engine Playwright drives here (Debian's
// chromium, scripts/browsers.mjs), behind the same interface as the others.
import { chromium } from '@playwright/test';
import { launchOptions } from '../../scripts/browsers.mjs';
import { callSource, pollPage } from './index.mjs';

/** @typedef {import('./index.mjs').EngineBrowser} EngineBrowser */
/** @typedef {import('./index.mjs').EnginePage} EnginePage */

/**
 * Launches Chromium with a fresh context (its own cookies and storage).
 * @returns {Promise<EngineBrowser>}
 */
export async function launchChromium() {
	const browser = await chromium.launch(launchOptions());
	const context = await browser.newContext();
	/** @type {string[]} */
	const lines = [];
	context.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
	/** @type {import('@playwright/test').Page | undefined} */
	let lastPage;
	return {
		name: 'chromium',
		version: `Chromium ${browser.version()}`,
		async newPage() {
			const page = await context.newPage();
			page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
			lastPage = page;
			/** @type {EnginePage} */
			const wrapped = {
				goto: async (url) => void (await page.goto(url)),
				evaluate: (fn, ...args) => page.evaluate(callSource(fn, args)),
				waitFor: (fn, options) => pollPage(wrapped, fn, options),
				reload: async () => void (await page.reload()),
				url: async () => page.url(),
				close: () => page.close(),
			};
			return wrapped;
		},
		async stopWorkers() {
			const page = lastPage ?? (await context.newPage());
			const cdp = await context.newCDPSession(page);
			await cdp.send('ServiceWorker.enable');
			await cdp.send('ServiceWorker.stopAllWorkers');
			await cdp.detach();
		},
		logs: async () => [...lines],
		close: () => browser.close(),
	};
}
