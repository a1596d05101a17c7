// One request sent from the page with fetch(), and the view of its answer: shared
// by the docs' try-it blocks (embed.js) and the playground. The worker reports
// each request it answered (`emulator.on('request')`), and that record is the
// only place the page can read the response's Set-Cookie lines, which browsers
// hide from scripts.

/**
 * Parses header lines (`Name: value`, one per line; blank lines skipped).
 * @param {string} text
 * @returns {{ headers: Array<[string, string]>, errors: string[] }}
 */
export function parseHeaderLines(text) {
	/** @type {Array<[string, string]>} */
	const headers = [];
	/** @type {string[]} */
	const errors = [];
	text.split(/\r?\n/).forEach((line, i) => {
		if (!line.trim()) return;
		const colon = line.indexOf(':');
		const name = colon > 0 ? line.slice(0, colon).trim() : '';
		if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) {
			errors.push(`header line ${i + 1} ("${line.trim()}") is not "Name: value"`);
			return;
		}
		headers.push([name, line.slice(colon + 1).trim()]);
	});
	return { headers, errors };
}

/**
 * Collects the worker's records of the requests this page sends. A record can
 * arrive before or after its fetch() resolves, so collecting starts before the
 * request is sent.
 * @param {{ on(event: 'request', listener: (record: any) => void): () => void }} emulator
 */
export function watchRecords(emulator) {
	/** @type {Set<(record: any) => void>} */
	const captures = new Set();
	emulator.on('request', (record) => captures.forEach((add) => add(record)));
	return {
		/** Starts collecting; `collect(urls)` then waits for the record of the last URL (at most `ms`) and returns the first record of each URL. */
		start() {
			/** @type {any[]} */
			const seen = [];
			let wake = () => {};
			const add = (/** @type {any} */ record) => {
				seen.push(record);
				wake();
			};
			captures.add(add);
			return {
				/**
				 * @param {string[]} urls
				 * @param {number} [ms]
				 * @returns {Promise<any[]>}
				 */
				async collect(urls, ms = 3000) {
					const wanted = urls.map(withoutHash);
					const pick = () => wanted.map((url) => seen.find((r) => r.url === url)).filter(Boolean);
					const deadline = Date.now() + ms;
					// Only requests the worker answered have records: a file from the network never gets one.
					while (!seen.some((r) => r.url === wanted.at(-1)) && Date.now() < deadline) {
						await new Promise((resolve) => {
							wake = () => resolve(undefined);
							setTimeout(resolve, deadline - Date.now());
						});
					}
					captures.delete(add);
					return pick();
				},
			};
		},
	};
}

/** @param {string} url */
function withoutHash(url) {
	const u = new URL(url);
	u.hash = '';
	return u.href;
}

/**
 * @typedef {object} Exchange
 * @property {string} method
 * @property {string} url
 * @property {Response | null} response null when fetch() rejected
 * @property {string} [error] why fetch() rejected
 * @property {ArrayBuffer} bytes
 * @property {number} ms
 * @property {Promise<any[]>} records the worker's records of the request (and of the redirects it followed)
 */

/**
 * Sends one request with fetch() and collects its answer and the worker's records.
 * @param {ReturnType<typeof watchRecords> | null} records
 * @param {{ method: string, url: string, headers?: Array<[string, string]>, body?: string | null }} request
 * @returns {Promise<Exchange>}
 */
export async function sendRequest(records, { method, url, headers = [], body = null }) {
	const capture = records?.start();
	const started = performance.now();
	const hasBody = body !== null && body !== '' && method !== 'GET' && method !== 'HEAD';
	/** @type {Response} */
	let response;
	try {
		response = await fetch(url, { method, headers, body: hasBody ? body : undefined });
	} catch (error) {
		const ms = performance.now() - started;
		return {
			method,
			url,
			response: null,
			error: error instanceof Error ? error.message : String(error),
			bytes: new ArrayBuffer(0),
			ms,
			records: capture?.collect([url]) ?? Promise.resolve([]),
		};
	}
	const bytes = await response.arrayBuffer();
	const ms = performance.now() - started;
	// A followed redirect ends with a request for its destination: its record (and cookies) belong to this answer too.
	const chain = response.redirected ? [url, response.url] : [url];
	return { method, url, response, bytes, ms, records: capture?.collect(chain) ?? Promise.resolve([]) };
}

/**
 * How a body is shown: JSON indented, text as is, images as images, other bytes by size.
 * @param {string} type the Content-Type
 * @param {ArrayBuffer} bytes
 * @returns {{ kind: 'empty' } | { kind: 'json' | 'text', text: string } | { kind: 'image', type: string } | { kind: 'binary', size: number }}
 */
export function describeBody(type, bytes) {
	if (!bytes.byteLength) return { kind: 'empty' };
	const mime = type.split(';', 1)[0].trim().toLowerCase();
	if (mime.startsWith('image/')) return { kind: 'image', type: mime };
	const texty = !mime || mime.startsWith('text/') || /[/+](?:json|xml|javascript|x-www-form-urlencoded)$/.test(mime);
	if (!texty) return { kind: 'binary', size: bytes.byteLength };
	const text = new TextDecoder().decode(bytes);
	if (/json$/.test(mime) || (!mime && /^\s*[[{]/.test(text))) {
		try {
			return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2) };
		} catch {
			// Not valid JSON after all: shown as sent.
		}
	}
	return { kind: 'text', text };
}

/**
 * A Set-Cookie line split for display: `name=value` and its attributes.
 * @param {string} line
 */
export function describeCookie(line) {
	const [pair, ...attributes] = line.split(';').map((s) => s.trim());
	return { pair, attributes: attributes.filter(Boolean), httpOnly: attributes.some((a) => a.toLowerCase() === 'httponly') };
}

/** Reason phrases for the status line: a Response made in script (`Response.json`) has an empty statusText. */
const REASONS = {
	200: 'OK',
	201: 'Created',
	202: 'Accepted',
	204: 'No Content',
	301: 'Moved Permanently',
	302: 'Found',
	303: 'See Other',
	304: 'Not Modified',
	307: 'Temporary Redirect',
	308: 'Permanent Redirect',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	409: 'Conflict',
	415: 'Unsupported Media Type',
	422: 'Unprocessable Content',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable',
};

/** Blob URLs of images shown in each view, revoked when the view shows something else. */
const blobUrls = new WeakMap();

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
 * Shows an exchange in `target`: status line, response headers, the cookies the
 * emulator set (once the worker's record arrives) and the body.
 * @param {HTMLElement} target
 * @param {Exchange} exchange
 * @param {{ base?: URL, headersOpen?: boolean }} [options] `base`: paths are shown relative to it
 */
export function renderResponse(target, exchange, options = {}) {
	const old = blobUrls.get(target);
	if (old) URL.revokeObjectURL(old);
	blobUrls.delete(target);
	const { response } = exchange;
	const view = el('div', 'sw-response');
	const where = new URL(exchange.url);
	const shown = options.base && where.href.startsWith(options.base.href) ? where.pathname + where.search : exchange.url;
	const status = el('p', `sw-status sw-s${response ? String(response.status)[0] : 'x'}`);
	const reason = response ? response.statusText || /** @type {Record<number, string>} */ (REASONS)[response.status] || '' : '';
	status.append(el('strong', 'sw-code', response ? String(response.status) : 'Failed'), ' ', el('span', 'sw-reason', reason), ' ');
	const meta = el('span', 'sw-meta', `${exchange.method} ${shown} · ${exchange.ms.toFixed(1)} ms`);
	status.append(meta);
	view.append(status);

	if (!response) {
		view.append(el('p', 'sw-error', `fetch() rejected: ${exchange.error}. A network error, such as one simulated with emulator.fail().`));
		target.replaceChildren(view);
		return;
	}
	if (response.redirected) view.append(el('p', 'sw-note', `Followed a redirect to ${new URL(response.url).pathname}`));

	const headerLines = [...response.headers].map(([k, v]) => `${k}: ${v}`);
	const headers = /** @type {HTMLDetailsElement} */ (el('details', 'sw-headers'));
	headers.open = options.headersOpen ?? false;
	headers.append(el('summary', '', `Response headers (${headerLines.length})`), el('pre', 'sw-pre', headerLines.join('\n') || '(none)'));
	view.append(headers);

	const cookies = el('div', 'sw-cookies');
	cookies.hidden = true;
	view.append(cookies);
	void exchange.records.then((records) => {
		const route = records[0]?.file ?? records[0]?.route;
		if (route) meta.textContent += ` · ${route}`;
		const lines = records.flatMap((r) => r.setCookies ?? []);
		if (!lines.length) return;
		const title = el('p', 'sw-cookies-title', 'Cookies set by the emulator');
		title.title = 'Browsers hide Set-Cookie from the page; the worker reports the lines it stored in its cookie jar.';
		const list = el('ul', 'sw-cookie-list');
		for (const line of lines) {
			const c = describeCookie(line);
			const item = el('li');
			item.append(el('code', 'sw-cookie-pair', c.pair));
			if (c.attributes.length) item.append(' ', el('span', 'sw-cookie-attrs', c.attributes.join('; ')));
			if (c.httpOnly) item.append(' ', el('span', 'sw-badge', 'HttpOnly: not in document.cookie'));
			list.append(item);
		}
		cookies.append(title, list);
		cookies.hidden = false;
	});

	const body = describeBody(response.headers.get('content-type') ?? '', exchange.bytes);
	if (body.kind === 'empty') view.append(el('p', 'sw-note', exchange.method === 'HEAD' ? 'No body (HEAD).' : 'Empty body.'));
	else if (body.kind === 'image') {
		const url = URL.createObjectURL(new Blob([exchange.bytes], { type: body.type }));
		blobUrls.set(target, url);
		const figure = el('div', 'sw-image');
		const img = /** @type {HTMLImageElement} */ (el('img'));
		img.src = url;
		img.alt = `${body.type} answered by ${shown}`;
		figure.append(img);
		view.append(figure);
	} else if (body.kind === 'binary') view.append(el('p', 'sw-note', `${body.size} bytes of ${response.headers.get('content-type') || 'binary data'}`));
	else view.append(el('pre', `sw-pre sw-body sw-${body.kind}`, body.text));
	target.replaceChildren(view);
}
