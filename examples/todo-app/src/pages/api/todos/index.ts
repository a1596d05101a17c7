// The to-do API the app is built against: the list lives in the visitor's session.
import type { APIRoute } from 'astro';

export interface Todo {
	id: string;
	text: string;
	done: boolean;
}

export const GET: APIRoute = async ({ session }) => Response.json((await session?.get<Todo[]>('todos')) ?? []);

export const POST: APIRoute = async ({ request, session }) => {
	const { text } = (await request.json().catch(() => ({}))) as { text?: string };
	if (!text?.trim()) return Response.json({ error: 'Write something first.' }, { status: 422 });
	const todo: Todo = { id: crypto.randomUUID(), text: text.trim(), done: false };
	session?.set('todos', [...((await session?.get<Todo[]>('todos')) ?? []), todo]);
	return Response.json(todo, { status: 201 });
};
