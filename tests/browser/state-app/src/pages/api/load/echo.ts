import type { APIRoute } from 'astro';

// The cheapest answer that still proves which request it was: ?i=N comes back (tests/engines/load.test.ts).
export const GET: APIRoute = ({ url }) => Response.json({ i: Number(url.searchParams.get('i')) });
