// Which way the worker reaches the page's cookies (sw/browser/page-cookies.ts): its own
// cookieStore only after a probe through the page showed both see the same
// cookies; else the page's document.cookie by message; never by trusting that a
// write resolved.
import { describe, expect, it } from 'vitest';
import { createPageCookies } from '../../sw/browser/page-cookies.ts';

/** A browser's cookies for the site, as document.cookie shows them (paths ignored: every page is at /). */
class Cookies {
	readonly map = new Map<string, string>();
	assign(line: string) {
		const [pair, ...attrs] = line.split(';');
		const eq = pair.indexOf('=');
		const name = pair.slice(0, eq).trim();
		if (attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()))) this.map.delete(name);
		else this.map.set(name, pair.slice(eq + 1).trim());
	}
	text() {
		return [...this.map].map(([k, v]) => `${k}=${v}`).join('; ');
	}
}

/** A worker cookieStore over `cookies`: shared with the page (Chromium), or a store of its own (what Firefox 153 ESR / WebKitGTK 2.50 behave like). */
function cookieStore(cookies: Cookies, options: { throws?: boolean } = {}) {
	const check = () => {
		if (options.throws) throw new TypeError('cookieStore unavailable');
	};
	return {
		sets: 0,
		async get(name: string) {
			check();
			const value = cookies.map.get(name);
			return value === undefined ? null : { name, value };
		},
		async getAll() {
			check();
			return [...cookies.map].map(([name, value]) => ({ name, value, path: '/' }));
		},
		async set(o: any) {
			check();
			this.sets++;
			cookies.map.set(o.name, o.value);
		},
		async delete(o: any) {
			check();
			cookies.map.delete(o.name);
		},
	};
}

/** Clients whose pages run the client library (answer page-cookies messages over `cookies`), or stay silent. */
function clients(cookies: Cookies, silent = false) {
	const messages: unknown[] = [];
	const client = {
		url: 'http://localhost/',
		postMessage(message: { type: string; write: string[] }, [port]: MessagePort[]) {
			messages.push(message);
			if (silent) return;
			for (const line of message.write) cookies.assign(line);
			port.postMessage(cookies.text());
		},
	};
	return { messages, get: async (id: string) => (id === 'page' ? client : undefined) };
}

describe('createPageCookies', () => {
	it("uses the worker's cookieStore when it and the page see the same cookies (Chromium)", async () => {
		const browser = new Cookies();
		const store = cookieStore(browser);
		const pages = clients(browser);
		const forClient = createPageCookies({ cookieStore: store, clients: pages, scriptPath: '/sw.js' });
		const page = await forClient('page');
		expect(page?.observedPath).toBe('/sw.js');
		const probeMessages = pages.messages.length;
		expect(await page!.set({ name: 'theme', value: 'dark', path: '/' })).toBe(true);
		expect(pages.messages.length).toBe(probeMessages);
		expect(browser.text()).toBe('theme=dark');
		// the probe cookies are gone
		expect([...browser.map.keys()]).toEqual(['theme']);
		// navigations (no client) use it too once decided
		expect((await forClient(''))?.observedPath).toBe('/sw.js');
	});

	it("uses the page's document.cookie when the worker's cookieStore resolves but does not reach the page (Firefox 153 ESR, WebKitGTK 2.50)", async () => {
		const browser = new Cookies();
		const store = cookieStore(new Cookies());
		const pages = clients(browser);
		const forClient = createPageCookies({ cookieStore: store, clients: pages, scriptPath: '/sw.js' });
		const page = await forClient('page');
		expect(page?.observedPath).toBe('/');
		expect(await page!.set({ name: 'theme', value: 'dark', path: '/' })).toBe(true);
		expect(browser.text()).toBe('theme=dark');
		browser.assign('pc=1; path=/');
		expect(await page!.getAll()).toEqual([
			{ name: 'theme', value: 'dark', path: null },
			{ name: 'pc', value: '1', path: null },
		]);
	});

	it("reads through the worker's cookieStore at the request's URL and writes through the page when its writes go nowhere (WebKitGTK 2.50)", async () => {
		const browser = new Cookies();
		const store = cookieStore(browser);
		// writes land nowhere the page or the worker can see
		store.set = async () => {};
		const forClient = createPageCookies({ cookieStore: store, clients: clients(browser), scriptPath: '/sw.js' });
		const page = await forClient('page', 'http://localhost/api/x');
		expect(page?.observedPath).toBe('/api/x');
		browser.assign('scoped=1; path=/api');
		expect(await page!.getAll()).toEqual([{ name: 'scoped', value: '1', path: '/' }]);
		expect(await page!.set({ name: 'theme', value: 'dark', path: '/' })).toBe(true);
		expect(browser.map.get('theme')).toBe('dark');
	});

	it('uses the page when the worker instance has a broken cookieStore (Chromium 156 after some restarts)', async () => {
		const browser = new Cookies();
		const forClient = createPageCookies({ cookieStore: cookieStore(browser, { throws: true }), clients: clients(browser), scriptPath: '/sw.js' });
		expect((await forClient('page'))?.observedPath).toBe('/');
	});

	it('a navigation before any page answered goes with the jar alone', async () => {
		const browser = new Cookies();
		const store = cookieStore(browser);
		const forClient = createPageCookies({ cookieStore: store, clients: clients(browser), scriptPath: '/sw.js' });
		expect(await forClient('')).toBeUndefined();
		expect(store.sets).toBe(0);
	});

	it("a page that never answers (no client library) is asked once; then the worker's cookieStore is used if it works alone", async () => {
		const browser = new Cookies();
		const pages = clients(browser, true);
		const forClient = createPageCookies({ cookieStore: cookieStore(browser), clients: pages, scriptPath: '/sw.js' });
		expect((await forClient('page'))?.observedPath).toBe('/sw.js');
		const asked = pages.messages.length;
		expect((await forClient('page'))?.observedPath).toBe('/sw.js');
		expect(pages.messages.length).toBe(asked);
	});

	it('without cookieStore the page is used, and a silent page is left out after its first timeout', async () => {
		const browser = new Cookies();
		const forClient = createPageCookies({ cookieStore: undefined, clients: clients(browser, true), scriptPath: '/sw.js' });
		const page = await forClient('page');
		await expect(page!.getAll()).rejects.toThrow('the page did not answer');
		expect(await forClient('page')).toBeUndefined();
	});

	it('a write the page does not show reads back false', async () => {
		const browser = new Cookies();
		const pages = clients(browser);
		const forClient = createPageCookies({ cookieStore: undefined, clients: pages, scriptPath: '/sw.js' });
		const page = await forClient('page');
		const real = browser.assign.bind(browser);
		browser.assign = (line) => (line.startsWith('theme=') ? undefined : real(line));
		expect(await page!.set({ name: 'theme', value: 'dark', path: '/' })).toBe(false);
	});
});
