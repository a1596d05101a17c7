// HTML escaping as Astro's redirect pages do it (html-escaper's escape(), used by
// packages/astro/src/core/routing/3xx.ts). Plain JS: the build's prerendered
// redirect pages and the worker's trailing-slash redirect page share it.

/** @type {Record<string, string>} */
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' };

/**
 * Text made safe inside HTML text and attribute values, with html-escaper's entities.
 * @param {string} text
 */
export function escapeHtml(text) {
	return text.replace(/[&<>'"]/g, (c) => HTML_ESCAPES[c]);
}
