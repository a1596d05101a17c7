// One item of the session's list: read, update, delete.
import type { APIContext, APIRoute } from 'astro';
import type { Item } from './index.ts';

async function find({ params, session }: APIContext) {
	const items = (await session?.get<Item[]>('items')) ?? [];
	return { items, item: items.find((i) => String(i.id) === params.id) };
}

const missing = (id: string | undefined) => Response.json({ error: `no item ${id}` }, { status: 404 });

export const GET: APIRoute = async (context) => {
	const { item } = await find(context);
	return item ? Response.json(item) : missing(context.params.id);
};

export const PUT: APIRoute = async (context) => {
	const { items, item } = await find(context);
	if (!item) return missing(context.params.id);
	const changes = (await context.request.json()) as Partial<Item>;
	const updated = { ...item, ...changes, id: item.id };
	context.session?.set(
		'items',
		items.map((i) => (i === item ? updated : i)),
	);
	return Response.json(updated);
};

export const DELETE: APIRoute = async (context) => {
	const { items, item } = await find(context);
	if (!item) return missing(context.params.id);
	context.session?.set(
		'items',
		items.filter((i) => i !== item),
	);
	return new Response(null, { status: 204 });
};
