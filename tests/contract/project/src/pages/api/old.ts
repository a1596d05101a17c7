// Moved: a redirect made by the endpoint.
import type { APIRoute } from 'astro';

export const GET: APIRoute = ({ redirect }) => redirect('/api/items', 302);
