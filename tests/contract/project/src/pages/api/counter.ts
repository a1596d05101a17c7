// A per-session counter: the isolation check writes the same key from two tests.
import type { APIRoute } from 'astro';

export const POST: APIRoute = async ({ session }) => {
	const count = ((await session?.get<number>('count')) ?? 0) + 1;
	session?.set('count', count);
	return Response.json({ count });
};
