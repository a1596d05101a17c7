// POST /api/visits counts this visitor's visits in their session; GET reads the count.
import type { APIRoute } from 'astro';

export const prerender = false;

export const GET: APIRoute = async ({ session }) => Response.json({ visits: (await session?.get<number>('visits')) ?? 0 });

export const POST: APIRoute = async ({ session }) => {
	const visits = ((await session?.get<number>('visits')) ?? 0) + 1;
	session?.set('visits', visits);
	return Response.json({ visits });
};
