// The shop's fixed catalogue, shared by the endpoints and the MSW handlers so both
// answer from the same data.

export interface Product {
	id: number;
	name: string;
	price: number;
}

export interface CartLine {
	productId: number;
	quantity: number;
}

export const products: Product[] = Array.from({ length: 20 }, (_, i) => ({
	id: i + 1,
	name: `Product ${i + 1}`,
	price: 100 + ((i * 37) % 400),
}));

/** The product with this id (a route param, so a string), or undefined. */
export const findProduct = (id: string | undefined): Product | undefined => products.find((p) => String(p.id) === id);

/** The cart as the API shows it: its lines, item count and total price. */
export function cartView(lines: CartLine[]) {
	let count = 0;
	let total = 0;
	for (const line of lines) {
		count += line.quantity;
		total += line.quantity * (findProduct(String(line.productId))?.price ?? 0);
	}
	return { lines, count, total };
}

/**
 * Adds `quantity` of a product to the cart (merging with its line), or says why not.
 * Returns the new lines, or an error with its status.
 */
export function addToCart(lines: CartLine[], input: unknown): { lines: CartLine[]; line: CartLine } | { status: number; error: string } {
	const { productId, quantity = 1 } = (input ?? {}) as { productId?: unknown; quantity?: unknown };
	if (typeof productId !== 'number' || !findProduct(String(productId))) return { status: 422, error: 'productId must name a product' };
	if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) return { status: 422, error: 'quantity must be a positive integer' };
	const existing = lines.find((l) => l.productId === productId);
	const line = { productId, quantity: (existing?.quantity ?? 0) + quantity };
	return { lines: existing ? lines.map((l) => (l === existing ? line : l)) : [...lines, line], line };
}
