// One product by id.
import type { APIRoute } from 'astro';
import { findProduct } from '../../../catalogue.ts';

export const GET: APIRoute = ({ params }) => {
	const product = findProduct(params.id);
	return product ? Response.json(product) : Response.json({ error: `no product ${params.id}` }, { status: 404 });
};
