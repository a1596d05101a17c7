// A counter in module state, not in the session: the isolation check reads it from two tests.
import type { APIRoute } from 'astro';

let hits = 0;

export const POST: APIRoute = () => Response.json({ hits: ++hits });
