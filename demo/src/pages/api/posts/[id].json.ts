import type { APIRoute, GetStaticPaths } from 'astro';
import { posts } from '../../../lib/posts';

// Prerendered at build time: one file per post, served from Cache Storage (works offline).
export const prerender = true;

export const getStaticPaths = (() => posts.map((post) => ({ params: { id: post.id }, props: { post } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => Response.json({ ...props.post, prerendered: true });
