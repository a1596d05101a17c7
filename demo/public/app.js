// The demo page: starts the emulator, then sends example requests with plain fetch().
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

const $ = (id) => document.getElementById(id);

function row(example) {
	const li = document.createElement('li');
	const button = document.createElement('button');
	button.type = 'button';
	button.innerHTML = `<span class="method m-${example.method}">${example.method}</span> <code>${example.path}</code>`;
	button.addEventListener('click', () => send(example.method, example.path, example.body));
	const note = document.createElement('span');
	note.className = 'note';
	note.textContent = example.note;
	li.append(button, note);
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
	const response = await fetch(path, init);
	const ms = performance.now() - started;
	const text = method === 'HEAD' ? '' : await response.text();
	show({ method, path, response, text, ms });
}

function show({ method, path, response, text, ms }) {
	const result = $('result');
	result.replaceChildren();
	const head = document.createElement('p');
	head.className = `line s${String(response.status)[0]}`;
	head.innerHTML = `<strong>${response.status || 'redirect'}</strong> ${response.statusText} <span class="muted">${method} ${path} · ${ms.toFixed(1)} ms</span>`;
	const headers = document.createElement('pre');
	headers.className = 'headers';
	headers.textContent = [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n') || '(no headers)';
	const bodyView = document.createElement('pre');
	bodyView.className = 'body';
	let pretty = text;
	try {
		pretty = JSON.stringify(JSON.parse(text), null, 2);
	} catch {}
	bodyView.textContent = pretty || '(empty body)';
	result.append(head, headers, bodyView);
}

$('examples').append(...examples.map(row));
$('custom').addEventListener('submit', (event) => {
	event.preventDefault();
	const data = new FormData(event.target);
	send(String(data.get('method')), String(data.get('path')));
});

try {
	const emulator = await startEmulator({ url: './sw.js', scope: './' });
	$('status').textContent = `Worker in control: ${emulator.routes} routes.`;
	emulator.on('update', () => {
		$('status').textContent = 'A new build is ready: click to use it.';
		$('status').onclick = () => emulator.update();
	});
	window.emulator = emulator;
	$('status').classList.add('ok');
	document.body.dataset.ready = 'true';
} catch (error) {
	$('status').textContent = String(error.message ?? error);
	$('status').classList.add('bad');
}
