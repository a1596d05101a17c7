// One to-do: toggle it done, or delete it.
import type { APIRoute } from 'astro';
import type { Todo } from './index.ts';

export const PATCH: APIRoute = async ({ params, request, session }) => {
	const todos = (await session?.get<Todo[]>('todos')) ?? [];
	const todo = todos.find((t) => t.id === params.id);
	if (!todo) return Response.json({ error: 'No such to-do.' }, { status: 404 });
	const { done } = (await request.json()) as { done: boolean };
	const updated = { ...todo, done };
	session?.set(
		'todos',
		todos.map((t) => (t === todo ? updated : t)),
	);
	return Response.json(updated);
};

export const DELETE: APIRoute = async ({ params, session }) => {
	const todos = (await session?.get<Todo[]>('todos')) ?? [];
	session?.set(
		'todos',
		todos.filter((t) => t.id !== params.id),
	);
	return new Response(null, { status: 204 });
};
