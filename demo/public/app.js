// The landing page: starts the emulator, then sends example requests with plain fetch().
import { startEmulator } from './sw-client.js';

const examples = [
	{ method: 'GET', path: '/api/hello?name=Astro', note: 'a JSON endpoint' },
	{ method: 'GET', path: '/api/posts', note: 'src/pages/api/posts/index.ts' },
	{ method: 'GET', path: '/api/posts/2', note: '[id] param' },
	{ method: 'GET', path: '/api/posts/99', note: 'an endpoint’s own 404' },
	{ method: 'GET', path: '/api/posts/2.json', note: 'prerendered at build, from Cache Storage' },
	{ method: 'GET', path: '/api/tags.json', note: 'prerendered, works offline' },
	{ method: 'POST', path: '/api/visits', note: 'a session counter (IndexedDB)' },
	{ method: 'POST', path: '/api/echo', body: { hello: 'worker' }, note: 'reads a JSON body' },
	{ method: 'DELETE', path: '/api/posts/2', note: 'no DELETE export: Astro’s 404 page' },
	{ method: 'GET', path: '/api/latest', note: 'a config redirect' },
	{ method: 'GET', path: '/api/boom', note: 'a handler that throws' },
];

// Where the site lives (this page is its root): paths like /api/hello are sent
// under it, so the page works on a static host under a sub-path too.
const site = new URL('./', location.href);

const $ = (id) => document.getElementById(id);

/** An element with a class and text. */
function el(tag, className, text) {
	const node = document.createElement(tag);
	if (className) node.className = className;
	if (text !== undefined) node.textContent = text;
	return node;
}

function row(example) {
	const li = document.createElement('li');
	const button = el('button');
	button.type = 'button';
	button.append(el('span', `method m-${example.method}`, example.method), ' ', el('code', '', example.path));
	button.addEventListener('click', () => send(example.method, example.path, example.body));
	li.append(button, el('span', 'example-note', example.note));
	return li;
}

async function send(method, path, body) {
	const init = { method, redirect: 'manual' };
	if (method === 'POST' && body === undefined) body = {};
	if (body !== undefined) {
		init.body = JSON.stringify(body);
		init.headers = { 'content-type': 'application/json' };
	}
	const started = performance.now();
	try {
		const response = await fetch(new URL(path.replace(/^\//, ''), site), init);
		const ms = performance.now() - started;
		const text = method === 'HEAD' ? '' : await response.text();
		show({ method, path, response, text, ms });
	} catch (error) {
		// Only a request no endpoint answers reaches the network, and offline that fails.
		$('result').replaceChildren(el('p', 'line s5', `${method} ${path} failed: ${error.message ?? error}`));
	}
}

function show({ method, path, response, text, ms }) {
	const head = el('p', `line s${String(response.status)[0]}`);
	// redirect: 'manual' gives an opaque response (status 0) for a redirect.
	head.append(
		el('strong', '', String(response.status || 'redirect')),
		` ${response.statusText} `,
		el('span', 'muted', `${method} ${path} · ${ms.toFixed(1)} ms`),
	);
	const headers = el('pre', 'headers', [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n') || '(no headers)');
	let pretty = text;
	try {
		pretty = JSON.stringify(JSON.parse(text), null, 2);
	} catch {}
	$('result').replaceChildren(head, headers, el('pre', 'body', pretty || '(empty body)'));
	// On a phone the answer is below the list of requests, out of sight.
	const panel = $('result').parentElement;
	if (panel.getBoundingClientRect().top > innerHeight - 100) panel.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

$('examples').append(...examples.map(row));
$('custom').addEventListener('submit', (event) => {
	event.preventDefault();
	const data = new FormData(event.target);
	send(String(data.get('method')), String(data.get('path')));
});

try {
	const emulator = await startEmulator({ url: './sw.js', scope: './' });
	const status = $('status');
	let updateWaiting = false;
	status.textContent = `Worker in control: ${emulator.routes} routes.`;
	emulator.offlineReady().then(() => {
		if (!updateWaiting) status.textContent = `Worker in control: ${emulator.routes} routes, ready offline.`;
	});
	emulator.on('update', () => {
		updateWaiting = true;
		status.textContent = 'A new build is ready: click to use it.';
		status.onclick = () => emulator.update();
	});
	// For the console and the browser tests.
	window.emulator = emulator;
	status.classList.add('ok');
	document.body.dataset.ready = 'true';
} catch (error) {
	$('status').textContent = String(error.message ?? error);
	$('status').classList.add('bad');
}
