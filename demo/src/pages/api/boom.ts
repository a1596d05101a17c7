// A handler that throws: the worker answers 500 (as Astro does), logs the
// error with method, URL and route, and keeps serving.
export const GET = () => {
	throw new Error('boom: this endpoint always fails');
};
