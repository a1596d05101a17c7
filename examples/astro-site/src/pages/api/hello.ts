// GET /api/hello?name=Ada: a greeting, with who the middleware says is asking.
import type { APIRoute } from 'astro';

export const prerender = false;

export const GET: APIRoute = ({ url, locals }) => Response.json({ hello: url.searchParams.get('name') ?? 'world', visitor: locals.visitor });
