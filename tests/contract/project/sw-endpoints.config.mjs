// The contract project: one endpoint per behaviour the scenarios check.
export default {
	redirects: { '/api/legacy': '/api/items' },
};
