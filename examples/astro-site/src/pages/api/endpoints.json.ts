// Prerendered at build time (output: 'static'): a file Astro writes, served as is.
import type { APIRoute } from 'astro';

export const GET: APIRoute = () =>
	Response.json({
		endpoints: ['GET /api/hello', 'POST /api/name', 'DELETE /api/name', 'GET /api/visits', 'POST /api/visits'],
	});
