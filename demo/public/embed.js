// Live "try it" blocks for a static docs page, answered by the service worker of
// the site this script is hosted with. Any element like
//
//   <div class="sw-try" data-method="POST" data-path="api/echo" data-body='{"hello":"docs"}'></div>
//   <script type="module" src="/project/docs/embed.js"></script>
//
// becomes a request (method, editable path relative to the site's base, editable
// body) with a Send button and the response under it. The base is the folder
// this script is served from, so the same files work at any sub-path; the page
// must be on the same origin and inside that folder, where the worker's scope is.
//
// Attributes: data-method (default GET), data-path (relative to the base),
// data-body (shown editable; sent as application/json when it parses as JSON),
// data-headers (`Name: value` lines).
import { startEmulator } from './sw-client.js';
import { parseHeaderLines, renderResponse, sendRequest, watchRecords } from './try-request.js';

/** The site's base: where sw.js and sw-client.js are, and what paths are relative to. */
const base = new URL('.', import.meta.url);

/** Starts the worker once for every block of the page. */
const started = startEmulator({ url: `${base.pathname}sw.js`, scope: base.pathname }).then((emulator) => ({ emulator, records: watchRecords(emulator) }));

/** Adds embed.css (beside this script) unless the page links it already. */
function addStylesheet() {
	const href = new URL('embed.css', import.meta.url).href;
	if ([...document.querySelectorAll('link[rel~="stylesheet"]')].some((l) => /** @type {HTMLLinkElement} */ (l).href === href)) return;
	const link = document.createElement('link');
	link.rel = 'stylesheet';
	link.href = href;
	document.head.append(link);
}

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function el(tag, className, text) {
	const node = document.createElement(tag);
	if (className) node.className = className;
	if (text !== undefined) node.textContent = text;
	return node;
}

/**
 * Turns one `.sw-try` element into a live block.
 * @param {HTMLElement} block
 */
function mountBlock(block) {
	const method = (block.dataset.method ?? 'GET').toUpperCase();
	const path = (block.dataset.path ?? '').replace(/^\/+/, '');
	const headerText = (block.dataset.headers ?? '').trim();
	const hasBody = block.dataset.body !== undefined && method !== 'GET' && method !== 'HEAD';

	const form = /** @type {HTMLFormElement} */ (el('form', 'sw-try-bar'));
	const label = el('label', 'sw-try-path');
	// The base is text, not part of the input, so a reader edits only what is theirs to edit.
	const prefix = el('span', 'sw-try-base', base.pathname);
	const input = /** @type {HTMLInputElement} */ (el('input'));
	Object.assign(input, { value: path, spellcheck: false, autocomplete: 'off' });
	input.setAttribute('aria-label', `Path of the ${method} request, relative to ${base.pathname}`);
	input.autocapitalize = 'off';
	label.append(prefix, input);
	const button = /** @type {HTMLButtonElement} */ (el('button', '', 'Send'));
	button.disabled = true;
	form.append(el('span', `sw-try-method sw-m-${method}`, method), label, button);

	const extra = el('div', 'sw-try-extra');
	if (headerText) extra.append(el('pre', 'sw-try-headers', headerText));
	const body = /** @type {HTMLTextAreaElement} */ (el('textarea', 'sw-try-body'));
	if (hasBody) {
		body.value = block.dataset.body ?? '';
		body.spellcheck = false;
		body.rows = Math.min(8, Math.max(2, body.value.split('\n').length));
		body.setAttribute('aria-label', `Body of the ${method} request`);
		extra.append(body);
	}
	const out = el('div', 'sw-try-out');
	out.setAttribute('aria-live', 'polite');
	out.append(el('p', 'sw-try-hint', 'Starting the service worker…'));
	block.replaceChildren(form, ...(extra.childElementCount ? [extra] : []), out);

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		const { records } = await started;
		const { headers, errors } = parseHeaderLines(headerText);
		if (errors.length) {
			out.replaceChildren(el('p', 'sw-error', `data-headers: ${errors.join('; ')}`));
			return;
		}
		const text = hasBody ? body.value : null;
		if (text !== null && !headers.some(([name]) => name.toLowerCase() === 'content-type')) {
			headers.push(['content-type', isJson(text) ? 'application/json' : 'text/plain;charset=UTF-8']);
		}
		button.disabled = true;
		try {
			const exchange = await sendRequest(records, { method, url: new URL(input.value.trim().replace(/^\/+/, ''), base).href, headers, body: text });
			renderResponse(out, exchange, { base });
		} catch (error) {
			out.replaceChildren(el('p', 'sw-error', `Not sent: ${/** @type {Error} */ (error).message}`));
		} finally {
			button.disabled = false;
		}
	});
	started.then(
		() => {
			button.disabled = false;
			out.replaceChildren(el('p', 'sw-try-hint', 'Press Send to call it: the service worker in this tab answers.'));
		},
		(error) => out.replaceChildren(el('p', 'sw-error', `This live example needs the site's service worker, which did not start: ${error.message}`)),
	);
}

/** @param {string} text */
function isJson(text) {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

/**
 * Mounts every `.sw-try` element under `root` not mounted yet (call again for blocks added later).
 * @param {ParentNode} [root]
 */
export function mountTryBlocks(root = document) {
	for (const block of root.querySelectorAll('.sw-try:not([data-sw-try-mounted])')) {
		const element = /** @type {HTMLElement} */ (block);
		element.dataset.swTryMounted = '';
		mountBlock(element);
	}
}

addStylesheet();
mountTryBlocks();
// Tests and pages can wait for this: every block is live once the worker controls the page.
void started.then(
	() => document.documentElement.setAttribute('data-sw-try-ready', ''),
	() => undefined,
);
