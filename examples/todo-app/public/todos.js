// The front end: a to-do list that talks to /api/todos with fetch(). It knows
// nothing about sw-endpoints; the same code runs against a real server.

/** @typedef {import('../src/pages/api/todos/index.ts').Todo} Todo */

/**
 * Renders the app into `root` and loads the list.
 * @param {HTMLElement} root
 */
export async function mountTodos(root) {
	root.innerHTML = `
		<form class="add">
			<input name="text" placeholder="What needs doing?" aria-label="New to-do" autocomplete="off">
			<button>Add</button>
		</form>
		<p class="error" role="alert" hidden></p>
		<ul class="todos" aria-label="To-dos"></ul>`;
	// The markup just written has each of these.
	const form = /** @type {HTMLFormElement} */ (root.querySelector('form'));
	const list = /** @type {HTMLUListElement} */ (root.querySelector('ul'));
	const error = /** @type {HTMLParagraphElement} */ (root.querySelector('.error'));
	const input = /** @type {HTMLInputElement} */ (form.elements.namedItem('text'));

	/** @param {string} [message] none hides the error */
	const show = (message) => {
		error.hidden = !message;
		error.textContent = message ?? '';
	};

	/**
	 * One API call; rejects with a message to show.
	 * @param {string} method
	 * @param {string} path
	 * @param {object} [body] sent as JSON
	 */
	async function call(method, path, body) {
		let response;
		try {
			response = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body && JSON.stringify(body) });
		} catch {
			throw new Error('You seem to be offline. Try again.');
		}
		if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error ?? `The server answered ${response.status}.`);
		return response.status === 204 ? undefined : response.json();
	}

	/** @param {Todo[]} todos */
	function render(todos) {
		list.replaceChildren(
			...todos.map((todo) => {
				const item = document.createElement('li');
				item.innerHTML = `<label><input type="checkbox"> <span></span></label> <button class="delete" aria-label="Delete">×</button>`;
				/** @type {HTMLSpanElement} */ (item.querySelector('span')).textContent = todo.text;
				const box = /** @type {HTMLInputElement} */ (item.querySelector('input'));
				box.checked = todo.done;
				box.addEventListener('change', () => act(() => call('PATCH', `/api/todos/${todo.id}`, { done: box.checked })));
				/** @type {HTMLButtonElement} */ (item.querySelector('.delete')).addEventListener('click', () => act(() => call('DELETE', `/api/todos/${todo.id}`)));
				return item;
			}),
		);
	}

	/** @param {() => Promise<unknown>} change then the list is loaded again */
	async function act(change) {
		try {
			await change();
			render(await call('GET', '/api/todos'));
			show();
		} catch (e) {
			show(e instanceof Error ? e.message : String(e));
		}
	}

	form.addEventListener('submit', (event) => {
		event.preventDefault();
		const text = input.value;
		act(async () => {
			await call('POST', '/api/todos', { text });
			// Keep what was typed meanwhile.
			if (input.value === text) form.reset();
		});
	});

	await act(async () => {});
	root.dataset.loaded = 'true';
}
