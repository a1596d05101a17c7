// Bodies Astro generates itself: its built-in 404 page and the HTML redirect
// template (core/routing/internal/astro-designed-error-pages.ts, core/routing/3xx.ts).
import { escapeHtml } from './escape-html.js';

/** Astro's built-in 404 page (status 404, `content-type: text/html`). */
export function notFoundPage(pathname: string): Response {
	const escaped = pathname.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
	const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>404: Not Found</title><body><h1>404: Not Found</h1><p><code>${escaped}</code></p></body></html>`;
	return new Response(html, { status: 404, headers: { 'content-type': 'text/html' } });
}

/** The HTML body Astro sends with its own redirects (a meta refresh page). */
export function redirectTemplate(status: number, rawLocation: string, rawFrom?: string): string {
	// A 2 s delay for 302 tells crawlers the move is temporary (as Astro does).
	const delay = status === 302 ? 2 : 0;
	// Both are escaped as html-escaper's escape() does (`?x=1&y=2` shows as `?x=1&amp;y=2`; verified trailing-never/item-slash-query-amp).
	const location = escapeHtml(rawLocation);
	const from = rawFrom === undefined ? undefined : escapeHtml(rawFrom);
	return `<!doctype html>
<title>Redirecting to: ${location}</title>
<meta http-equiv="refresh" content="${delay};url=${location}">
<meta name="robots" content="noindex">
<link rel="canonical" href="${location}">
<body>
	<a href="${location}">Redirecting ${from ? `from <code>${from}</code> ` : ''}to <code>${location}</code></a>
</body>`;
}
