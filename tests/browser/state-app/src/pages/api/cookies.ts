import type { APIRoute } from 'astro';

export const GET: APIRoute = ({ request, cookies }) =>
	Response.json({ header: request.headers.get('cookie'), fromPage: cookies.get('from-page')?.value ?? null, manual: cookies.get('manual')?.value ?? null });
