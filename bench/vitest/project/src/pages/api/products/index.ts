// The catalogue, optionally filtered by ?q= in the name.
import type { APIRoute } from 'astro';
import { products } from '../../../catalogue.ts';

export const GET: APIRoute = ({ url }) => {
	const q = url.searchParams.get('q')?.toLowerCase();
	return Response.json(q ? products.filter((p) => p.name.toLowerCase().includes(q)) : products);
};
