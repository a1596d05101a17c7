import type { APIRoute } from 'astro';

// POST ?k=name sets one session key; GET lists them.
export const POST: APIRoute = ({ session, url }) => {
	session!.set(url.searchParams.get('k')!, true);
	return new Response(null, { status: 204 });
};
export const GET: APIRoute = async ({ session }) => Response.json([...(await session!.keys())].sort());
