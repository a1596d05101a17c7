// The visitor's cart, kept in the session: read it, or add a product to it. Adding
// also sets a page-readable `cart-count` cookie, as shops do for the header badge.
import type { APIRoute } from 'astro';
import { addToCart, cartView, type CartLine } from '../../../catalogue.ts';

export const GET: APIRoute = async ({ session }) => Response.json(cartView((await session?.get<CartLine[]>('cart')) ?? []));

export const POST: APIRoute = async ({ request, session, cookies }) => {
	let input: unknown;
	try {
		input = await request.json();
	} catch {
		return Response.json({ error: 'the body must be JSON' }, { status: 400 });
	}
	const result = addToCart((await session?.get<CartLine[]>('cart')) ?? [], input);
	if ('error' in result) return Response.json({ error: result.error }, { status: result.status });
	session?.set('cart', result.lines);
	cookies.set('cart-count', String(cartView(result.lines).count), { path: '/', sameSite: 'lax' });
	return Response.json(result.line, { status: 201 });
};
