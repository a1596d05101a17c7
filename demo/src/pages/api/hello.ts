import type { APIRoute } from 'astro';

export const GET: APIRoute = ({ url, generator }) => Response.json({ hello: url.searchParams.get('name') ?? 'world', from: 'a service worker', generator });
