// A bug: the handler throws.
import type { APIRoute } from 'astro';

export const GET: APIRoute = () => {
	throw new Error('boom');
};
