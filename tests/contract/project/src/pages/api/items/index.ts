// A to-do list kept in the visitor's session: list and create.
import type { APIRoute } from 'astro';

export interface Item {
	id: number;
	title: string;
	done: boolean;
}

export const GET: APIRoute = async ({ session }) => {
	const items = (await session?.get<Item[]>('items')) ?? [];
	return Response.json(items);
};

export const POST: APIRoute = async ({ request, session }) => {
	let input: { title?: unknown };
	try {
		input = await request.json();
	} catch {
		return Response.json({ error: 'the body must be JSON' }, { status: 400 });
	}
	if (typeof input.title !== 'string' || !input.title.trim()) {
		return Response.json({ error: 'title is required' }, { status: 422 });
	}
	const items = (await session?.get<Item[]>('items')) ?? [];
	const item: Item = { id: (items.at(-1)?.id ?? 0) + 1, title: input.title.trim(), done: false };
	session?.set('items', [...items, item]);
	return Response.json(item, { status: 201, headers: { location: `/api/items/${item.id}` } });
};
