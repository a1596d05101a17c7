import type { APIRoute } from 'astro';

// Counts this browser's visits in its Astro session (kept in IndexedDB by the worker).
export const POST: APIRoute = async ({ session }) => {
	const visits = ((await session?.get('visits')) ?? 0) + 1;
	session?.set('visits', visits);
	return Response.json({ visits });
};
