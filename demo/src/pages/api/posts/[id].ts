import type { APIRoute } from 'astro';
import { findPost } from '../../../lib/posts';

export const GET: APIRoute = ({ params }) => {
	const post = findPost(params.id);
	if (!post) return Response.json({ error: `no post ${params.id}` }, { status: 404 });
	return Response.json(post);
};
