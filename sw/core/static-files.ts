// The static layer's rules, shared by the worker (Cache Storage) and Node mode
// (prerendered files in memory), as a static host and Astro's Node adapter serve
// files: GET and HEAD only, the exact path, and `dir/` or `dir` for `dir/index.html`.

/** Whether a request of this method may be answered from a static file. */
export function isReadMethod(method: string): boolean {
	return method === 'GET' || method === 'HEAD';
}

/** Methods Astro's origin check lets through and a browser sends without an `Origin` header. */
export function isSafeMethod(method: string): boolean {
	return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/**
 * The file a static host answers `pathname` with, as its path relative to `prefix`
 * (the base, ending in `/`), `has` telling which files exist: the file at that path,
 * or for a folder (`dir/`, `dir`, the base with or without its slash) its
 * `index.html`. A lookup, not an index: a restarted worker with 5,000 files answers
 * its first request without building a map of them first.
 */
export function staticPath(pathname: string, prefix: string, has: (path: string) => boolean): string | undefined {
	const path = `${pathname}/` === prefix ? '' : pathname.startsWith(prefix) ? pathname.slice(prefix.length) : undefined;
	if (path === undefined) return undefined;
	const folder = path === '' || path.endsWith('/') ? path : has(path) ? undefined : `${path}/`;
	if (folder === undefined) return path;
	return has(`${folder}index.html`) ? `${folder}index.html` : undefined;
}
