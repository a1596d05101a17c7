// Config for the demo: Astro's option names.
export default {
	site: 'http://localhost:4321',
	redirects: { '/api/latest': '/api/posts/3' },
	// The playground installs endpoints into the running worker, also in a production build.
	controls: true,
};
