// Requests and cookies from inside a page, for any driver whose page can
// evaluate a function sent as source text with JSON arguments (the three engines'
// pages, and Playwright's through `fromPlaywright`).
import { callSource } from './index.mjs';

/** What these helpers need of a page. */
export interface Evaluates {
	evaluate(fn: Function | string, ...args: any[]): Promise<any>;
}

/** A Playwright page seen through the engines' evaluate(fn, ...args). */
export function fromPlaywright(page: { evaluate(expression: string): Promise<unknown> }): Evaluates {
	return { evaluate: (fn, ...args) => page.evaluate(callSource(fn, args)) };
}

/** fetch() from the page: status and parsed JSON (or text). */
export function api(page: Evaluates, url: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: any }> {
	return page.evaluate(
		async (u: string, i: { method?: string; json?: unknown }) => {
			const res = await fetch(u, {
				method: i.method ?? (i.json === undefined ? 'GET' : 'POST'),
				headers: i.json === undefined ? {} : { 'content-type': 'application/json' },
				body: i.json === undefined ? undefined : JSON.stringify(i.json),
			});
			const text = await res.text();
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {}
			return { status: res.status, body };
		},
		url,
		init,
	);
}

/** The page's document.cookie as a name → value map. */
export async function documentCookies(page: Evaluates): Promise<Record<string, string>> {
	const text: string = await page.evaluate(() => document.cookie);
	return Object.fromEntries(
		text
			.split(';')
			.map((p) => p.trim())
			.filter(Boolean)
			.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
	);
}
