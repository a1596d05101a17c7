// How the worker judges a request's site and Origin (sw/browser/site.ts).
import { describe, expect, it } from 'vitest';
import { requestSite } from '../../sw/browser/site.ts';

const SELF = 'http://127.0.0.1:4321';
const req = (mode: string, method: string, referrer: string, headers: Record<string, string> = {}) => ({
	mode,
	method,
	referrer,
	headers: new Headers(headers),
});

describe('requestSite', () => {
	it('a subresource request comes from a controlled page: same origin, Origin for unsafe methods only', () => {
		expect(requestSite(req('cors', 'POST', ''), SELF)).toEqual({ site: { sameSite: true, navigation: false, method: 'POST' }, origin: SELF });
		expect(requestSite(req('cors', 'GET', ''), SELF)).toEqual({ site: { sameSite: true, navigation: false, method: 'GET' }, origin: null });
	});

	it.each([
		['same-origin', true, SELF],
		['same-site', true, null],
		['none', true, null],
		['cross-site', false, null],
	])('a navigation with Sec-Fetch-Site: %s is same-site %s, Origin %s for a POST', (fetchSite, sameSite, origin) => {
		const r = requestSite(req('navigate', 'POST', 'http://other.example/', { 'sec-fetch-site': fetchSite }), SELF);
		expect(r).toEqual({ site: { sameSite, navigation: true, method: 'POST' }, origin });
	});

	it('without Sec-Fetch-Site, a navigation is same-site only with a same-origin referrer; none (stripped) counts as cross-site', () => {
		expect(requestSite(req('navigate', 'GET', `${SELF}/page`), SELF).site.sameSite).toBe(true);
		expect(requestSite(req('navigate', 'GET', 'http://localhost:9999/'), SELF).site.sameSite).toBe(false);
		expect(requestSite(req('navigate', 'GET', ''), SELF).site.sameSite).toBe(false);
		expect(requestSite(req('navigate', 'POST', ''), SELF).origin).toBeNull();
	});
});
