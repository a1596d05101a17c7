// The playground: compiles an endpoint with esbuild-wasm in the page, installs it
// into the running worker (`emulator.install`), and calls it with a real fetch().
// Installed endpoints live in the worker's IndexedDB, so they outlast the worker
// and this page; the editor reopens the last one saved.
import { startEmulator } from '../sw-client.js';
import { parseHeaderLines, renderResponse, sendRequest, watchRecords } from '../try-request.js';
import { charColumn, createCodeEditor } from './code-editor.js';
import { examples } from './examples.js';

/** The site's base (this page lives in `<base>playground/`): sw.js, sw-client.js and the routes are under it. */
const site = new URL('../', import.meta.url);
/** localStorage key of the file saved last, reopened on the next visit. */
const LAST_FILE = 'sw-endpoints:playground:file';
const LOG_LIMIT = 200;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const fileInput = /** @type {HTMLInputElement} */ ($('file'));
const exampleSelect = /** @type {HTMLSelectElement} */ ($('example'));
const requestForm = /** @type {HTMLFormElement} */ ($('request'));
const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (requestForm.elements.namedItem(name));

const editor = createCodeEditor($('code'), { onSubmit: () => void save() });
/** the source as last loaded or saved, to tell unsaved edits apart */
let pristine = '';
/** @type {import('../sw-client.js').Emulator | null} */
let emulator = null;
/** @type {ReturnType<typeof watchRecords> | null} */
let records = null;
/** @type {Array<{ file: string, route: string, methods: string[], source?: string }>} */
let installed = [];
let lastSaved = '';

const state = { worker: 'starting', compiler: 'loading' };
function showStatus() {
	const pill = $('status');
	const failed = state.worker === 'failed' || state.compiler === 'failed';
	pill.className = `pill ${failed ? 'bad' : state.worker === 'ready' && state.compiler === 'ready' ? 'ok' : ''}`;
	const worker = { starting: 'Starting the worker…', ready: `Worker ready (${emulator?.routes ?? 0} routes)`, failed: 'The worker did not start' }[
		state.worker
	];
	const compiler = { loading: 'loading the compiler…', ready: 'compiler ready', failed: 'the compiler did not load' }[state.compiler];
	pill.textContent = `${worker} · ${compiler}`;
}

// ---- compiler ----------------------------------------------------------------

const vendorMeta = /** @type {HTMLMetaElement | null} */ (document.querySelector('meta[name="esbuild-wasm"]'));
const vendor = new URL(vendorMeta?.content || '../vendor/esbuild-wasm/', document.baseURI);
/** esbuild-wasm, started once in the background: its wasm is large, so the page does not wait for it. */
const compiler = (async () => {
	const esbuild = await import(new URL('esm/browser.min.js', vendor).href);
	await esbuild.initialize({ wasmURL: new URL('esbuild.wasm', vendor).href });
	// The first transform pays for the wasm's JIT (about a second here, several on a busy
	// machine, and requests are slow while it runs): pay it now, not on the first Save.
	await esbuild.transform('export const GET = (): Response => new Response(null);', { loader: 'ts', format: 'cjs' });
	return esbuild;
})();
compiler.then(
	() => {
		state.compiler = 'ready';
		document.body.dataset.compiler = 'ready';
		showStatus();
	},
	() => {
		state.compiler = 'failed';
		showStatus();
	},
);

// ---- editor, save & install ----------------------------------------------------

/**
 * @param {'busy' | 'ok' | 'error'} kind
 * @param {...(string | Node)} content
 */
function showMessage(kind, ...content) {
	const box = $('message');
	box.className = `message ${kind}`;
	box.replaceChildren(...content);
}

/** @param {string} tag @param {string} [className] @param {string} [text] */
function el(tag, className, text) {
	const node = document.createElement(tag);
	if (className) node.className = className;
	if (text !== undefined) node.textContent = text;
	return node;
}

/** @param {string} file */
const normalizeFile = (file) =>
	file
		.trim()
		.replace(/^\/+/, '')
		.replace(/^src\/pages\//, '');

/** What still answers when a save fails. */
function keptVersion(/** @type {string} */ file) {
	return installed.some((e) => e.file === normalizeFile(file)) ? 'The previously installed version keeps answering.' : 'Nothing was installed.';
}

/**
 * Shows esbuild's errors with their positions and marks the first one's line.
 * @param {string} file
 * @param {Array<{ text: string, location: { line: number, column: number, lineText: string } | null }>} errors
 */
function showCompileErrors(file, errors) {
	const list = el('ul', 'errors');
	for (const error of errors) {
		const item = el('li');
		const loc = error.location;
		if (loc) {
			// esbuild counts columns in UTF-8 bytes from 0; shown as characters from 1, as editors count.
			const column = charColumn(loc.lineText, loc.column);
			const at = el('button', 'at', `${file}:${loc.line}:${column + 1}`);
			/** @type {HTMLButtonElement} */ (at).type = 'button';
			at.title = 'Go to the error';
			at.addEventListener('click', () => {
				editor.markLine(loc.line);
				editor.focusAt(loc.line, column);
			});
			const gutter = String(loc.line).length;
			item.append(at, ` ${error.text}`, el('pre', 'excerpt', `${loc.line} │ ${loc.lineText}\n${' '.repeat(gutter)} │ ${' '.repeat(column)}^`));
		} else item.append(error.text);
		list.append(item);
	}
	const plural = errors.length === 1 ? '1 compile error' : `${errors.length} compile errors`;
	showMessage('error', el('p', '', `Not installed: ${plural}. ${keptVersion(file)}`), list);
	const first = errors.find((e) => e.location)?.location;
	if (first) editor.markLine(first.line);
}

async function save() {
	const file = fileInput.value.trim();
	const source = editor.value;
	if (!emulator) return showMessage('error', 'The worker is not running, so there is nothing to install into.');
	if (!file) {
		fileInput.focus();
		return showMessage('error', 'Name the file first, e.g. api/hello/[name].ts: its path under src/pages is the route.');
	}
	const button = /** @type {HTMLButtonElement} */ ($('save'));
	// Ctrl+Enter can arrive while a save is still running.
	if (button.disabled) return;
	button.disabled = true;
	showMessage('busy', state.compiler === 'ready' ? 'Compiling…' : 'Loading the compiler…');
	try {
		let esbuild;
		try {
			esbuild = await compiler;
		} catch (error) {
			return showMessage(
				'error',
				`esbuild-wasm did not load from ${vendor.href} (${/** @type {Error} */ (error).message}). Serve the esbuild-wasm package's files there (npm run demo does), or point <meta name="esbuild-wasm"> in this page at a copy.`,
			);
		}
		let code;
		try {
			({ code } = await esbuild.transform(source, { loader: /\.[cm]?js$/.test(file) ? 'js' : 'ts', format: 'cjs', sourcefile: file }));
		} catch (error) {
			const errors = /** @type {{ errors?: [] }} */ (error).errors;
			if (!Array.isArray(errors)) throw error;
			return showCompileErrors(file, errors);
		}
		let endpoint;
		try {
			endpoint = await emulator.install(file, code, { source });
		} catch (error) {
			return showMessage(
				'error',
				el('p', '', `Not installed: ${/** @type {Error} */ (error).message.replace(/^\[sw-endpoints\] /, '')}`),
				el('p', 'small', keptVersion(file)),
			);
		}
		pristine = source;
		editor.clearMark();
		localStorage.setItem(LAST_FILE, endpoint.file);
		const summary = el('p');
		summary.append(
			'Installed ',
			el('code', '', endpoint.file),
			' → ',
			el('code', '', endpoint.route),
			` (${endpoint.methods.join(', ')}). This version answers from now on.`,
		);
		showMessage('ok', summary);
		// A new endpoint gets a request that reaches it; a new version of the same one keeps the request as edited.
		if (endpoint.file !== lastSaved) setRequest(requestFor(endpoint));
		lastSaved = endpoint.file;
		await refreshInstalled();
	} finally {
		button.disabled = false;
	}
}

/**
 * Loads a file and its source into the editor.
 * @param {string} file
 * @param {string} source
 */
function openSource(file, source) {
	fileInput.value = file;
	editor.value = source;
	pristine = source;
	exampleSelect.value = examples.find((e) => e.file === file)?.id ?? '';
	$('message').replaceChildren();
	$('message').className = 'message';
}

/** A request that reaches an endpoint: its example's, or its route with each param named after itself. */
function requestFor(/** @type {{ file: string, route: string, methods: string[] }} */ endpoint) {
	const example = examples.find((e) => e.file === endpoint.file);
	if (example) return example.request;
	const path = endpoint.route
		.slice(1)
		.replace(/\/?\[\.\.\.[^\]]+\]/g, '')
		.replace(/\[([^\]]+)\]/g, '$1');
	const method = endpoint.methods.includes('GET') || endpoint.methods.includes('ALL') ? 'GET' : (endpoint.methods[0] ?? 'GET');
	return { method, path, headers: '', body: '' };
}

async function refreshInstalled() {
	if (!emulator) return [];
	installed = await emulator.installed();
	const list = $('installed');
	if (!installed.length) {
		list.replaceChildren(el('li', 'muted', 'None yet: save an endpoint to install it.'));
		return installed;
	}
	list.replaceChildren(
		...installed.map((endpoint) => {
			const item = el('li');
			const what = el('div', 'what');
			what.append(el('code', 'file', endpoint.file), el('span', 'arrow', '→'), el('code', 'route', endpoint.route));
			const methods = el('div', 'methods');
			methods.append(...endpoint.methods.map((m) => el('span', `method m-${m}`, m)));
			const actions = el('div', 'row-actions');
			if (endpoint.source !== undefined) {
				const edit = el('button', 'quiet', 'Edit');
				edit.addEventListener('click', () => {
					if (!confirmDiscard()) return;
					openSource(endpoint.file, endpoint.source ?? '');
					lastSaved = endpoint.file;
					setRequest(requestFor(endpoint));
				});
				actions.append(edit);
			}
			const remove = el('button', 'quiet', 'Remove');
			remove.addEventListener('click', async () => {
				await emulator?.uninstall(endpoint.file);
				showMessage('ok', el('p', '', `Removed ${endpoint.file}: ${endpoint.route} is answered by the build again (or by nothing, if it has no such route).`));
				await refreshInstalled();
			});
			actions.append(remove);
			item.append(what, methods, actions);
			return item;
		}),
	);
	return installed;
}

function confirmDiscard() {
	return editor.value === pristine || confirm('Replace the code in the editor? Your unsaved changes will be lost.');
}

exampleSelect.append(new Option('Choose…', ''), ...examples.map((e) => new Option(e.title, e.id)));
exampleSelect.addEventListener('change', () => {
	const example = examples.find((e) => e.id === exampleSelect.value);
	if (!example) return;
	if (!confirmDiscard()) {
		exampleSelect.value = '';
		return;
	}
	openSource(example.file, example.source);
	setRequest(example.request);
});
$('save').addEventListener('click', () => void save());
// Ctrl/Cmd+S saves too, instead of the browser saving this page.
document.addEventListener('keydown', (event) => {
	if (event.key === 's' && (event.ctrlKey || event.metaKey) && $('editor-title').closest('section')?.contains(document.activeElement)) {
		event.preventDefault();
		void save();
	}
});

// ---- request builder and response ------------------------------------------------

$('base').textContent = site.pathname;

/** @param {{ method: string, path: string, headers: string, body: string }} request */
function setRequest(request) {
	field('method').value = request.method;
	field('path').value = request.path;
	field('headers').value = request.headers;
	field('body').value = request.body;
	syncBody();
}

/** GET and HEAD carry no body (fetch() refuses one). */
function syncBody() {
	const none = field('method').value === 'GET' || field('method').value === 'HEAD';
	field('body').disabled = none;
	field('body').placeholder = none ? `no body with ${field('method').value}` : '';
}
field('method').addEventListener('change', syncBody);

async function send() {
	const error = $('request-error');
	error.hidden = true;
	const method = field('method').value;
	// A path is relative to the site's base; a leading slash or the base itself is taken as the same thing.
	let path = field('path').value.trim();
	if (path.startsWith(site.pathname)) path = path.slice(site.pathname.length);
	path = path.replace(/^\/+/, '');
	const { headers, errors } = parseHeaderLines(field('headers').value);
	if (errors.length) {
		error.textContent = `Not sent: ${errors.join('; ')}.`;
		error.hidden = false;
		return;
	}
	const button = /** @type {HTMLButtonElement} */ ($('send'));
	button.disabled = true;
	try {
		const exchange = await sendRequest(records, { method, url: new URL(path, site).href, headers, body: field('body').disabled ? null : field('body').value });
		renderResponse($('response'), exchange, { base: site, headersOpen: true });
	} catch (e) {
		// fetch() refuses some input outright (e.g. a header value it forbids), before any request.
		error.textContent = `Not sent: ${/** @type {Error} */ (e).message}`;
		error.hidden = false;
	} finally {
		button.disabled = false;
	}
}

requestForm.addEventListener('submit', (event) => {
	event.preventDefault();
	void send();
});
requestForm.addEventListener('keydown', (event) => {
	if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
		event.preventDefault();
		void send();
	}
});

// ---- request log -------------------------------------------------------------------

/** @param {import('../sw-client.js').RequestRecord} record */
function logRow(record) {
	const row = el('li', `log-row s${String(record.status)[0]}`);
	const t = new Date(record.time);
	const time = el('time', 'time', [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':'));
	time.setAttribute('datetime', t.toISOString());
	const status = el('strong', 'status', record.status ? String(record.status) : 'failed');
	status.title = record.statusText;
	const where = el('span', 'via', record.file ?? record.route ?? (record.kind === 'not-found' ? 'no route' : ''));
	// The params the endpoint got: what a route pattern matched is the first thing to check when it answers oddly.
	const params = Object.entries(record.params);
	if (params.length) where.append(' ', el('span', 'params', params.map(([k, v]) => `${k}=${v}`).join(' ')));
	row.append(
		time,
		el('span', `method m-${record.method}`, record.method),
		el('code', 'log-path', record.path),
		status,
		el('span', 'dur', `${record.duration} ms`),
		el('span', `kind k-${record.kind}`, record.kind),
		where,
	);
	if (record.setCookies.length) {
		const cookies = el('span', 'sets', `sets ${record.setCookies.length === 1 ? '1 cookie' : `${record.setCookies.length} cookies`}`);
		cookies.title = record.setCookies.join('\n');
		row.append(cookies);
	}
	return row;
}

$('clear-log').addEventListener('click', () => $('log').replaceChildren());

// ---- start ---------------------------------------------------------------------------

openSource(examples[0].file, examples[0].source);
setRequest(examples[0].request);
showStatus();

try {
	// The page shows its own request log, so development builds need not print one to the console too.
	emulator = await startEmulator({ url: `${site.pathname}sw.js`, scope: site.pathname, quiet: true });
	records = watchRecords(emulator);
	emulator.on('request', (record) => {
		const log = $('log');
		log.prepend(logRow(record));
		while (log.children.length > LOG_LIMIT) log.lastElementChild?.remove();
	});
	state.worker = 'ready';
	showStatus();
	const list = await refreshInstalled();
	const remembered = localStorage.getItem(LAST_FILE);
	const last = list.find((e) => e.file === remembered) ?? list.at(-1);
	// Reopen the endpoint saved last, unless the editor was already changed while the worker started.
	if (last?.source !== undefined && editor.value === pristine) {
		openSource(last.file, last.source);
		setRequest(requestFor(last));
		lastSaved = last.file;
	}
	document.body.dataset.ready = 'true';
} catch (error) {
	state.worker = 'failed';
	showStatus();
	showMessage('error', `The service worker did not start: ${/** @type {Error} */ (error).message}`);
}
