// Config for the demo: Astro's option names.
export default {
	site: 'http://localhost:4321',
	redirects: { '/api/latest': '/api/posts/3' },
};
