// A body that sends one chunk and never ends: its stream is cut at limits.timeout.
export const GET = () =>
	new Response(
		new ReadableStream({
			start(controller) {
				controller.enqueue(new TextEncoder().encode('first'));
			},
		}),
		{ headers: { 'content-type': 'text/plain' } },
	);
