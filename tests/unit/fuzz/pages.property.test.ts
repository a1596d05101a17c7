// Properties of the HTML Astro generates itself (sw/core/pages.ts): the built-in
// 404 page and the trailing-slash redirect page, for any requested path and query.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../sw/core/handler.ts';
import { escapeHtml } from '../../../sw/core/escape-html.js';
import { notFoundPage, redirectTemplate } from '../../../sw/core/pages.ts';
import type { ManifestRoute } from '../../../sw/core/pipeline.ts';
import { runs } from './runs.ts';

/** Text meant to break out of an element or an attribute. */
const MARKUP = [
	'<script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	"'><svg onload=alert(1)>",
	'</code></a><a href="//evil">',
	'<!--',
	'-->',
	'"',
	'<',
	'>',
];
const piece = fc.oneof(
	{ weight: 2, arbitrary: fc.constantFrom(...MARKUP) },
	{ weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
	{ weight: 1, arbitrary: fc.constantFrom('&', '&lt;', '&quot;', '%3C', '%22', '%3E', '%253C', '/', '?', '#', ' ', '\n', '\t') },
);
const text = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));
/** A path or query as a request carries it: `?` and `#` would end it (a fragment is never sent). */
const inPath = (s: string) => s.replace(/\?/g, '%3F').replace(/#/g, '%23');
const inQuery = (s: string) => s.replace(/#/g, '%23');

/** How many of each character that opens or closes a tag or an attribute value the HTML holds. */
const structure = (html: string) => ({ lt: html.split('<').length - 1, gt: html.split('>').length - 1, quot: html.split('"').length - 1 });
/** The markup pieces with a character that matters in HTML, found verbatim in `html`. */
const injected = (html: string) => MARKUP.filter((m) => m.length > 1 && html.includes(m));

const LOGGER = { error() {}, warn() {}, info() {}, debug() {} };
const handlerFor = (trailingSlash: 'never' | 'always' | 'ignore') =>
	createHandler({
		routes: [] as ManifestRoute[],
		config: { base: '/', trailingSlash, output: 'server', checkOrigin: true, buildFormat: 'directory', session: false },
		logger: LOGGER,
	});

describe('the built-in 404 page', async () => {
	const benign = structure(await notFoundPage('/x').text());

	it('any pathname given to it stays text: no tag, attribute or comment comes from it', async () => {
		await fc.assert(
			fc.asyncProperty(text, async (pathname) => {
				const html = await notFoundPage(pathname).text();
				expect(structure(html)).toEqual(benign);
				expect(injected(html)).toEqual([]);
			}),
			runs(300),
		);
	});

	it('answers any unmatched path and query with the same markup', async () => {
		const handler = handlerFor('ignore');
		await fc.assert(
			fc.asyncProperty(text, text, async (path, query) => {
				const response = await handler.handle(new Request(`http://localhost/a${inPath(path).replace(/\/+$/, '')}?${inQuery(query)}`));
				// A path that decodes past ten levels is a 400 with no body (spec §1).
				if (response.status === 400) return;
				expect(response.status).toBe(404);
				const html = await response.text();
				expect(structure(html)).toEqual(benign);
				expect(injected(html)).toEqual([]);
			}),
			runs(200),
		);
	});
});

describe('the trailing-slash redirect page', () => {
	it('any path and query a request carries leaves the markup as it is for a plain path', async () => {
		const never = handlerFor('never');
		const benign = structure(await (await never.handle(new Request('http://localhost/a/x/?q=1'))).text());
		await fc.assert(
			fc.asyncProperty(text, text, async (path, query) => {
				const response = await never.handle(new Request(`http://localhost/a${inPath(path)}/?${inQuery(query)}`));
				expect([301, 400]).toContain(response.status);
				if (response.status === 400) return;
				const html = await response.text();
				expect(structure(html)).toEqual(benign);
				expect(injected(html)).toEqual([]);
			}),
			runs(300),
		);
	});

	// Astro's template (core/routing/3xx.ts) passes the location and the request URL through
	// html-escaper's escape(): `&` shows as `&amp;` (recorded: trailing-never/item-slash-query-amp).
	it('escapes & < > \' " in the location and the URL it shows, as html-escaper does', () => {
		const html = redirectTemplate(301, `/a?x=1&y='2'"<b>`, 'http://h/a/?x=1&y=2');
		expect(html).toContain('<title>Redirecting to: /a?x=1&amp;y=&#39;2&#39;&quot;&lt;b&gt;</title>');
		expect(html).toContain('from <code>http://h/a/?x=1&amp;y=2</code>');
		expect(html).not.toMatch(/&(?!amp;|#39;|quot;|lt;|gt;)/);
		fc.assert(
			fc.property(text, (raw) => {
				const escaped = escapeHtml(raw);
				expect(escaped).not.toMatch(/[<>"']/);
				expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '')).toBe(raw);
			}),
			runs(300),
		);
	});
});
