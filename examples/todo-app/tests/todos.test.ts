// The app in Vitest with happy-dom: its fetch() calls reach src/pages/api in-process.
import { expect, test } from 'vitest';
import { mountTodos } from '../public/todos.js';
import { emulator } from './setup.ts';

async function mount() {
	document.body.innerHTML = '<main id="app"></main>';
	const root = document.getElementById('app')!;
	await mountTodos(root);
	return root;
}

const texts = (root: HTMLElement) => [...root.querySelectorAll('li span')].map((s) => s.textContent);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function add(root: HTMLElement, text: string) {
	const input = root.querySelector<HTMLInputElement>('input[name=text]')!;
	input.value = text;
	root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
	await expect.poll(() => texts(root)).toContain(text);
}

test('adds, completes and deletes to-dos', async () => {
	const root = await mount();
	expect(texts(root)).toEqual([]);
	await add(root, 'Buy milk');
	await add(root, 'Write tests');
	root.querySelector<HTMLInputElement>('li input')!.click();
	await expect.poll(async () => (await (await fetch('/api/todos')).json())[0].done).toBe(true);
	root.querySelector<HTMLButtonElement>('li:last-child .delete')!.click();
	await expect.poll(() => texts(root)).toEqual(['Buy milk']);
});

test('each test starts with an empty list', async () => {
	const root = await mount();
	expect(texts(root)).toEqual([]);
});

test('shows the API’s validation message', async () => {
	const root = await mount();
	root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
	await expect.poll(() => root.querySelector('.error')!.textContent).toBe('Write something first.');
});

test('starts from seeded data', async () => {
	await emulator.seed({ session: { todos: [{ id: 'a', text: 'Seeded', done: true }] } });
	const root = await mount();
	expect(texts(root)).toEqual(['Seeded']);
	expect(root.querySelector<HTMLInputElement>('li input')!.checked).toBe(true);
});

test('says so when the network fails', async () => {
	emulator.fail('/api/todos', { method: 'POST' });
	const root = await mount();
	root.querySelector<HTMLInputElement>('input[name=text]')!.value = 'Lost';
	root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
	await expect.poll(() => root.querySelector('.error')!.textContent).toBe('You seem to be offline. Try again.');
	await settle();
	expect(texts(root)).toEqual([]);
});

test('handles a server error from an override', async () => {
	emulator.use('GET', '/api/todos', () => Response.json({ error: 'Maintenance, back soon.' }, { status: 503 }));
	const root = await mount();
	expect(root.querySelector('.error')!.textContent).toBe('Maintenance, back soon.');
	expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/todos 503']);
});
