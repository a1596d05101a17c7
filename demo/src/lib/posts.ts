// Seed data for the demo API (read-only: state that changes lives in sessions).
export interface Post {
	id: string;
	title: string;
	body: string;
	tags: string[];
}

export const posts: Post[] = [
	{ id: '1', title: 'A backend with no backend', body: 'These answers come from a service worker running Astro endpoints.', tags: ['intro'] },
	{ id: '2', title: 'File routes, Astro rules', body: 'src/pages/api/posts/[id].ts answers /api/posts/2.', tags: ['routing'] },
	{ id: '3', title: 'Works offline', body: 'Nothing here needs a server once the page has loaded.', tags: ['offline'] },
];

/** Finds a post by id. */
export function findPost(id: string | undefined): Post | undefined {
	return posts.find((p) => p.id === id);
}
