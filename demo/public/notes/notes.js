// The notes app: a front end written against its API (src/pages/api/auth/*,
// src/pages/api/notes/*) with plain fetch(), as it would be against a server.
// The only sw-endpoints code is startEmulator() below.
import { startEmulator } from '../sw-client.js';

// The API sits beside this folder, so the app works under any base path.
const API = new URL('../api/', location.href);

const $ = (id) => document.getElementById(id);

/** The signed-in user's name and their notes, as last received from the API. */
const state = { user: '', notes: [], query: '' };

/**
 * One API call: `{ status, data }`, data being the parsed JSON (null for none).
 * A 401 on any call but sign-in means the session is gone: back to the sign-in form.
 */
async function api(method, path, body) {
	const response = await fetch(new URL(path, API), {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const data = response.status === 204 ? null : await response.json().catch(() => null);
	if (response.status === 401 && path !== 'auth/sign-in') {
		showSignIn({ lastUser: state.user || data?.lastUser, message: state.user ? 'Your session ended: sign in again.' : '' });
		throw new SignedOut();
	}
	return { status: response.status, data };
}

class SignedOut extends Error {}

/** An element with a class and text. */
function el(tag, className, text) {
	const node = document.createElement(tag);
	if (className) node.className = className;
	if (text !== undefined) node.textContent = text;
	return node;
}

// ---- sign-in ----------------------------------------------------------------

function showSignIn({ lastUser = '', message = '' } = {}) {
	state.user = '';
	state.notes = [];
	$('boot').hidden = true;
	$('notes-view').hidden = true;
	$('account').hidden = true;
	$('signin-view').hidden = false;
	const form = $('signin-form');
	form.reset();
	setFieldError('username', '');
	setFieldError('password', message);
	form.elements.username.value = lastUser ?? '';
	(lastUser ? form.elements.password : form.elements.username).focus();
}

function setFieldError(field, message) {
	$(`${field}-error`).textContent = message;
	$('signin-form').elements[field].setAttribute('aria-invalid', String(Boolean(message)));
}

$('signin-form').addEventListener('submit', async (event) => {
	event.preventDefault();
	const form = event.target;
	const username = form.elements.username.value.trim();
	const password = form.elements.password.value;
	setFieldError('username', username ? '' : 'Enter a username.');
	setFieldError('password', password.length >= 4 ? '' : 'Use at least 4 characters.');
	if (!username || password.length < 4) return;
	await busy(form, async () => {
		const { status, data } = await api('POST', 'auth/sign-in', { username, password });
		if (status === 200 || status === 201) return showNotes(data.user.name);
		if (data?.field) setFieldError(data.field, data.error);
		else setFieldError('password', data?.error ?? `Signing in failed (${status}).`);
		form.elements[data?.field ?? 'password'].select();
	});
});

$('sign-out').addEventListener('click', async () => {
	const name = state.user;
	await busy($('account'), () => api('POST', 'auth/sign-out'));
	showSignIn({ lastUser: name });
});

// ---- notes ------------------------------------------------------------------

async function showNotes(name) {
	state.user = name;
	state.query = '';
	$('boot').hidden = true;
	$('signin-view').hidden = true;
	$('notes-view').hidden = false;
	$('account').hidden = false;
	$('who').textContent = name;
	document.querySelector('.avatar').textContent = name.slice(0, 1).toUpperCase();
	$('search').value = '';
	await loadNotes();
	// Not on touch screens, where focus would open the keyboard over the list.
	if (matchMedia('(pointer: fine)').matches) $('new-text').focus();
}

async function loadNotes() {
	const { status, data } = await api('GET', state.query ? `notes?q=${encodeURIComponent(state.query)}` : 'notes');
	if (status !== 200) return showError(`Loading the notes failed (${status}).`);
	state.notes = data;
	render();
}

function render() {
	const list = $('notes');
	list.replaceChildren(...state.notes.map(noteItem));
	const empty = $('empty');
	empty.hidden = state.notes.length > 0;
	empty.textContent = state.query ? `No note contains “${state.query}”.` : 'No notes yet. Write the first one above.';
	$('count').textContent = state.query ? `${state.notes.length} found` : `${state.notes.length} ${state.notes.length === 1 ? 'note' : 'notes'}`;
}

function noteItem(note) {
	const li = el('li', note.pinned ? 'note-card pinned' : 'note-card');
	li.dataset.id = note.id;
	const [title, ...rest] = note.text.split('\n');
	const view = el('div', 'note-view');
	view.append(el('h2', 'note-title', title));
	const body = rest.join('\n').trim();
	if (body) view.append(el('p', 'note-body', body));

	const time = el('time', 'note-time', ago(new Date(note.updatedAt)));
	time.dateTime = note.updatedAt;
	time.title = new Date(note.updatedAt).toLocaleString();
	const pin = el('button', 'icon-button pin', note.pinned ? 'Unpin' : 'Pin');
	pin.type = 'button';
	pin.setAttribute('aria-pressed', String(note.pinned));
	pin.addEventListener('click', () => change(li, note, { pinned: !note.pinned }));
	const edit = el('button', 'icon-button', 'Edit');
	edit.type = 'button';
	edit.addEventListener('click', () => startEditing(li, note));
	const remove = el('button', 'icon-button danger', 'Delete');
	remove.type = 'button';
	remove.addEventListener('click', () => removeNote(li, note));
	const actions = el('div', 'note-actions');
	actions.append(pin, edit, remove);
	const foot = el('div', 'note-foot');
	foot.append(time, actions);
	li.append(view, foot);
	return li;
}

function startEditing(li, note) {
	const form = el('form', 'note-edit');
	const text = el('textarea');
	text.value = note.text;
	text.rows = 3;
	text.setAttribute('aria-label', 'Note text');
	// Grows with its text, wrapped lines included (max-height in notes.css stops it).
	const fit = () => {
		text.style.height = 'auto';
		text.style.height = `${text.scrollHeight + 2}px`;
	};
	text.addEventListener('input', fit);
	const save = el('button', 'primary', 'Save');
	const cancel = el('button', 'ghost', 'Cancel');
	cancel.type = 'button';
	cancel.addEventListener('click', render);
	const buttons = el('div', 'note-actions');
	buttons.append(cancel, save);
	form.append(text, buttons);
	form.addEventListener('submit', (event) => {
		event.preventDefault();
		if (text.value.trim() === note.text) return render();
		change(li, note, { text: text.value });
	});
	text.addEventListener('keydown', (event) => {
		if (event.key === 'Escape') render();
		if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
	});
	li.replaceChildren(form);
	fit();
	text.focus();
	text.setSelectionRange(text.value.length, text.value.length);
}

async function change(li, note, patch) {
	await busy(li, async () => {
		const { status, data } = await api('PATCH', `notes/${note.id}`, patch);
		if (status !== 200) return showError(data?.error ?? `Saving failed (${status}).`);
		await loadNotes();
	});
}

async function removeNote(li, note) {
	await busy(li, async () => {
		const { status, data } = await api('DELETE', `notes/${note.id}`);
		if (status !== 204 && status !== 404) return showError(data?.error ?? `Deleting failed (${status}).`);
		await loadNotes();
	});
}

$('new-note').addEventListener('submit', async (event) => {
	event.preventDefault();
	const text = $('new-text');
	if (!text.value.trim()) return text.focus();
	await busy(event.target, async () => {
		const { status, data } = await api('POST', 'notes', { text: text.value });
		if (status !== 201) return showError(data?.error ?? `Adding failed (${status}).`);
		text.value = '';
		await loadNotes();
	});
	text.focus();
});
$('new-text').addEventListener('keydown', (event) => {
	if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('new-note').requestSubmit();
});

let searchTimer;
$('search').addEventListener('input', (event) => {
	clearTimeout(searchTimer);
	searchTimer = setTimeout(() => {
		state.query = event.target.value.trim();
		loadNotes().catch(report);
	}, 150);
});

// ---- shared -----------------------------------------------------------------

/** Runs `work` with the element's controls disabled; an API failure shows as an error. */
async function busy(element, work) {
	const controls = element.querySelectorAll('button, input, textarea');
	element.setAttribute('aria-busy', 'true');
	controls.forEach((c) => (c.disabled = true));
	try {
		hideError();
		await work();
	} catch (error) {
		report(error);
	} finally {
		element.removeAttribute('aria-busy');
		controls.forEach((c) => (c.disabled = false));
	}
}

function report(error) {
	if (error instanceof SignedOut) return;
	showError(`Something went wrong: ${error?.message ?? error}`);
}

function showError(message) {
	$('notes-error').textContent = message;
	$('notes-error').hidden = false;
}

function hideError() {
	$('notes-error').hidden = true;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", else the date. */
function ago(date) {
	const seconds = (Date.now() - date.getTime()) / 1000;
	if (seconds < 45) return 'just now';
	if (seconds < 3600) return relative.format(-Math.round(seconds / 60), 'minute');
	if (seconds < 86400) return relative.format(-Math.round(seconds / 3600), 'hour');
	if (seconds < 7 * 86400) return relative.format(-Math.round(seconds / 86400), 'day');
	return date.toLocaleDateString();
}

/** The connection badge: whether the network is there, and whether the app is cached for when it is not. */
const connection = { offlineReady: false };
function showConnection() {
	const badge = $('connection');
	const online = navigator.onLine;
	badge.classList.toggle('ok', online || connection.offlineReady);
	badge.classList.toggle('offline', !online);
	if (!online) badge.textContent = connection.offlineReady ? 'Offline · still working' : 'Offline';
	else badge.textContent = connection.offlineReady ? 'Online · ready offline' : 'Online · caching for offline…';
}
addEventListener('online', showConnection);
addEventListener('offline', showConnection);
// Keeps "5 minutes ago" true while the page stays open.
setInterval(() => {
	if (!$('notes-view').hidden && !document.querySelector('.note-edit')) render();
}, 60_000);

// ---- start ------------------------------------------------------------------

try {
	const emulator = await startEmulator({ url: '../sw.js', scope: '../' });
	showConnection();
	emulator.offlineReady().then(() => {
		connection.offlineReady = true;
		document.body.dataset.offlineReady = 'true';
		showConnection();
	});
	// A new build of the app waits until the user chooses to switch; the notes are kept.
	emulator.on('update', () => ($('update').hidden = false));
	$('update').addEventListener('click', async () => {
		await emulator.update();
		location.reload();
	});
	const { status, data } = await fetch(new URL('auth/me', API)).then(async (r) => ({ status: r.status, data: await r.json() }));
	if (status === 200) await showNotes(data.user.name);
	else showSignIn({ lastUser: data.lastUser });
	document.body.dataset.ready = 'true';
} catch (error) {
	$('boot').textContent = `The app could not start: ${error?.message ?? error}`;
	$('connection').textContent = 'Not running';
	$('connection').classList.add('bad');
}
