import type { APIRoute } from 'astro';
import { posts } from '../../../lib/posts';

export const GET: APIRoute = ({ url }) => {
	const tag = url.searchParams.get('tag');
	return Response.json(tag ? posts.filter((p) => p.tags.includes(tag)) : posts);
};
