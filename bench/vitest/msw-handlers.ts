// The MSW side of the comparison: the project's endpoints written as MSW handlers,
// with the same logic and the same responses. The cart lives in an in-memory
// session keyed by an HttpOnly `sid` cookie, which is how an MSW setup keeps
// per-visitor state (MSW's cookie store carries it between requests).
import { http, HttpResponse } from 'msw';
import { addToCart, cartView, findProduct, products, type CartLine } from './project/src/catalogue.ts';
import { benchOrigin } from './timing.ts';

const sessions = new Map<string, CartLine[]>();
let sessionCount = 0;

/** Forgets every session, as the emulator's reset() does; the setup calls it after each test. */
export const clearSessions = () => sessions.clear();

const url = (path: string) => `${benchOrigin()}${path}`;

export const handlers = [
	http.get(url('/api/products'), ({ request }) => {
		const q = new URL(request.url).searchParams.get('q')?.toLowerCase();
		return HttpResponse.json(q ? products.filter((p) => p.name.toLowerCase().includes(q)) : products);
	}),
	http.get(url('/api/products/:id'), ({ params }) => {
		const id = String(params.id);
		const product = findProduct(id);
		return product ? HttpResponse.json(product) : HttpResponse.json({ error: `no product ${id}` }, { status: 404 });
	}),
	http.get(url('/api/cart'), ({ cookies }) => HttpResponse.json(cartView(sessions.get(cookies.sid) ?? []))),
	http.post(url('/api/cart'), async ({ request, cookies }) => {
		let input: unknown;
		try {
			input = await request.json();
		} catch {
			return HttpResponse.json({ error: 'the body must be JSON' }, { status: 400 });
		}
		const known = cookies.sid !== undefined && sessions.has(cookies.sid);
		const sid = known ? cookies.sid : `s${++sessionCount}`;
		const result = addToCart(sessions.get(sid) ?? [], input);
		if ('error' in result) return HttpResponse.json({ error: result.error }, { status: result.status });
		sessions.set(sid, result.lines);
		const headers = new Headers();
		if (!known) headers.append('set-cookie', `sid=${sid}; Path=/; HttpOnly; SameSite=Lax`);
		headers.append('set-cookie', `cart-count=${cartView(result.lines).count}; Path=/; SameSite=Lax`);
		return HttpResponse.json(result.line, { status: 201, headers });
	}),
];
