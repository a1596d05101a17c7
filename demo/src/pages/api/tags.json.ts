import type { APIRoute } from 'astro';
import { posts } from '../../lib/posts';

export const prerender = true;

export const GET: APIRoute = () => Response.json([...new Set(posts.flatMap((p) => p.tags))].sort());
