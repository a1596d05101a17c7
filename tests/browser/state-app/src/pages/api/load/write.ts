import type { APIRoute } from 'astro';

// POST ?k=key&v=value sets one session key and answers once it is stored; GET ?k=key reads it back,
// GET without k lists the keys (tests/engines/load.test.ts). The x-instance header names the worker
// instance that answered (module state lives as long as the worker does).
const instance = Math.random().toString(36).slice(2);
export const POST: APIRoute = ({ session, url }) => {
	const k = url.searchParams.get('k')!;
	const v = url.searchParams.get('v')!;
	session!.set(k, v);
	return Response.json({ k, v }, { headers: { 'x-instance': instance } });
};
export const GET: APIRoute = async ({ session, url }) => {
	const k = url.searchParams.get('k');
	if (k === null) return Response.json([...(await session!.keys())].sort());
	return Response.json({ k, v: (await session!.get(k)) ?? null });
};
