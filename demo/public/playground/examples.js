// Starter endpoints for the playground, each with a request that calls it.
// Paths are relative to the site's base, as the request builder shows them.

/** @typedef {{ id: string, title: string, file: string, source: string, request: { method: string, path: string, headers: string, body: string } }} Example */

/** @type {Example[]} */
export const examples = [
	{
		id: 'params',
		title: 'JSON with a route param',
		file: 'api/hello/[name].ts',
		source: `import type { APIRoute } from 'astro';

// GET /api/hello/ada?greeting=Hi → { "message": "Hi, ada!" }
// The file name decides the route: [name] is a param, as in Astro.
export const GET: APIRoute = ({ params, url }) => {
	const greeting = url.searchParams.get('greeting') ?? 'Hello';
	return Response.json({
		message: \`\${greeting}, \${params.name}!\`,
		query: Object.fromEntries(url.searchParams),
	});
};
`,
		request: { method: 'GET', path: 'api/hello/ada?greeting=Hi', headers: '', body: '' },
	},
	{
		id: 'cookie',
		title: 'POST a JSON body, set a cookie',
		file: 'api/signin.ts',
		source: `import type { APIRoute } from 'astro';

// POST { "user": "ada" } → 201, and a cookie the worker keeps in its jar.
export const POST: APIRoute = async ({ request, cookies }) => {
	const { user } = await request.json();
	if (typeof user !== 'string' || !user) {
		return Response.json({ error: 'send a JSON body like {"user": "ada"}' }, { status: 400 });
	}
	cookies.set('user', user, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 * 60 });
	return Response.json({ signedIn: user }, { status: 201 });
};

// GET reads it back: the jar sends the cookie with the next request.
export const GET: APIRoute = ({ cookies }) => Response.json({ user: cookies.get('user')?.value ?? null });

// DELETE signs out.
export const DELETE: APIRoute = ({ cookies }) => {
	cookies.delete('user', { path: '/' });
	return new Response(null, { status: 204 });
};
`,
		request: { method: 'POST', path: 'api/signin', headers: 'Content-Type: application/json', body: '{\n  "user": "ada"\n}' },
	},
	{
		id: 'svg',
		title: 'An SVG image',
		file: 'api/badge/[label].svg.ts',
		source: `import type { APIRoute } from 'astro';

// GET /api/badge/passing.svg?color=2f9e5c → an image drawn on request.
export const GET: APIRoute = ({ params, url }) => {
	const label = (params.label ?? 'ok').replace(/[<>&"]/g, '');
	const color = /^[0-9a-f]{3,6}$/i.test(url.searchParams.get('color') ?? '') ? url.searchParams.get('color') : '7a3cff';
	const width = 72 + label.length * 8;
	const svg = \`<svg xmlns="http://www.w3.org/2000/svg" width="\${width}" height="24" role="img" aria-label="sw-endpoints: \${label}">
	<rect width="\${width}" height="24" rx="5" fill="#3b3f4a"/>
	<rect x="64" width="\${width - 64}" height="24" rx="5" fill="#\${color}"/>
	<rect x="64" width="8" height="24" fill="#\${color}"/>
	<g fill="#fff" font-family="Verdana,sans-serif" font-size="12">
		<text x="8" y="16">endpoint</text>
		<text x="72" y="16">\${label}</text>
	</g>
</svg>\`;
	return new Response(svg, { headers: { 'content-type': 'image/svg+xml' } });
};
`,
		request: { method: 'GET', path: 'api/badge/passing.svg?color=2f9e5c', headers: '', body: '' },
	},
];
