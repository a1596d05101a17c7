// One test-facing interface over three browser engines: Chromium (Playwright),
// Firefox (WebDriver BiDi through puppeteer-core) and WebKit (WebKitGTK's
// classic WebDriver). Playwright can drive only Chromium here: its Firefox and
// WebKit are patched builds it downloads, and stock Firefox ESR / WebKitGTK
// need these protocols instead.
//
//   const browser = await launch('firefox');
//   const page = await browser.newPage();
//   await page.goto(`${url}/`);
//   await page.waitFor(() => window.ready === true);
//   const status = await page.evaluate(async (u) => (await fetch(u)).status, '/api/x');
//   await browser.close();

/** @typedef {'chromium' | 'firefox' | 'webkit'} EngineName */

/**
 * One tab. Functions passed to `evaluate`/`waitFor` are sent as source text:
 * they cannot use variables from around them; pass values as JSON arguments.
 * @typedef {object} EnginePage
 * @property {(url: string) => Promise<void>} goto navigates and waits for the load event
 * @property {(fn: Function | string, ...args: unknown[]) => Promise<any>} evaluate runs `fn(...args)` in the page (awaited when it returns a promise) and resolves with its JSON-able result; rejects with the page's error message
 * @property {(fn: Function | string, options?: { timeout?: number, args?: unknown[] }) => Promise<any>} waitFor polls `fn(...args)` in the page until it returns a truthy value (default timeout 30 s); survives navigations in between
 * @property {() => Promise<void>} reload reloads and waits for the load event
 * @property {() => Promise<string>} url the page's current URL
 * @property {() => Promise<void>} close
 */

/**
 * One browser with a fresh profile of its own: cookies, IndexedDB, Cache Storage and
 * service worker registrations start empty and are shared by its pages.
 * @typedef {object} EngineBrowser
 * @property {EngineName} name
 * @property {string} version e.g. "Firefox 153.8.0esr"
 * @property {() => Promise<EnginePage>} newPage a new tab in this profile
 * @property {(() => Promise<void>) | undefined} stopWorkers stops every service worker now, as the browser does to idle ones (Chromium over CDP, Firefox through its service worker manager; WebKitGTK offers automation no way)
 * @property {() => Promise<string[]>} logs console lines of pages (and of workers where the engine reports them) so far, for failure messages
 * @property {() => Promise<void>} close ends the browser and removes its profile
 */

/** The engines `npm test` runs; `SW_ENGINES=chromium,firefox` narrows it. */
export const ENGINES = /** @type {EngineName[]} */ (
	(process.env.SW_ENGINES ?? 'chromium,firefox,webkit')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean)
);

/**
 * Launches `name` with a fresh profile.
 * @param {EngineName} name
 * @returns {Promise<EngineBrowser>}
 */
export async function launch(name) {
	if (name === 'chromium') return (await import('./chromium.mjs')).launchChromium();
	if (name === 'firefox') return (await import('./firefox.mjs')).launchFirefox();
	if (name === 'webkit') return (await import('./webkit.mjs')).launchWebKit();
	throw new Error(`unknown engine ${name}: use chromium, firefox or webkit`);
}

/**
 * The source of a call of `fn` with JSON `args`, as an expression whose value may be a promise.
 * @param {Function | string} fn
 * @param {unknown[]} args
 */
export function callSource(fn, args) {
	return `(${typeof fn === 'function' ? fn.toString() : fn})(...${JSON.stringify(args)})`;
}

/**
 * Polls `page.evaluate(fn, ...args)` until truthy; an evaluation that fails mid-navigation counts as not yet.
 * @param {Pick<EnginePage, 'evaluate'>} page
 * @param {Function | string} fn
 * @param {{ timeout?: number, args?: unknown[] }} [options]
 */
export async function pollPage(page, fn, options = {}) {
	const { timeout = 30_000, args = [] } = options;
	const deadline = Date.now() + timeout;
	let last;
	for (;;) {
		try {
			const value = await page.evaluate(fn, ...args);
			if (value) return value;
			last = value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`waited ${timeout} ms for ${String(fn).slice(0, 120)}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}
