import type { APIRoute } from 'astro';

// Reads the request body as a stream, as server code does: null without a body.
export const ALL: APIRoute = async ({ request }) => {
	if (request.body === null) return Response.json({ body: null });
	const reader = request.body.getReader();
	let bytes = 0;
	let sum = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		bytes += value.byteLength;
		for (const b of value) sum = (sum + b) % 65536;
	}
	return Response.json({ body: { bytes, sum } });
};
