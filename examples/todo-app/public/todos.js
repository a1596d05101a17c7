// The front end: a to-do list that talks to /api/todos with fetch(). It knows
// nothing about sw-endpoints; the same code runs against a real server.

/** Renders the app into `root` and loads the list. */
export async function mountTodos(root) {
	root.innerHTML = `
		<form class="add">
			<input name="text" placeholder="What needs doing?" aria-label="New to-do" autocomplete="off">
			<button>Add</button>
		</form>
		<p class="error" role="alert" hidden></p>
		<ul class="todos" aria-label="To-dos"></ul>`;
	const form = root.querySelector('form');
	const list = root.querySelector('ul');
	const error = root.querySelector('.error');

	const show = (message) => {
		error.hidden = !message;
		error.textContent = message ?? '';
	};

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

	function render(todos) {
		list.replaceChildren(
			...todos.map((todo) => {
				const item = document.createElement('li');
				item.innerHTML = `<label><input type="checkbox"> <span></span></label> <button class="delete" aria-label="Delete">×</button>`;
				item.querySelector('span').textContent = todo.text;
				const box = item.querySelector('input');
				box.checked = todo.done;
				box.addEventListener('change', () => act(() => call('PATCH', `/api/todos/${todo.id}`, { done: box.checked })));
				item.querySelector('.delete').addEventListener('click', () => act(() => call('DELETE', `/api/todos/${todo.id}`)));
				return item;
			}),
		);
	}

	async function act(change) {
		try {
			await change();
			render(await call('GET', '/api/todos'));
			show();
		} catch (e) {
			show(e.message);
		}
	}

	form.addEventListener('submit', (event) => {
		event.preventDefault();
		const text = form.elements.text.value;
		act(async () => {
			await call('POST', '/api/todos', { text });
			// Keep what was typed meanwhile.
			if (form.elements.text.value === text) form.reset();
		});
	});

	await act(async () => {});
	root.dataset.loaded = 'true';
}
