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
 * Indexes files by the URL paths a static host answers with them: `prefix` + the
 * file's path, and for `…/index.html` also its folder with and without the slash.
 */
export function staticIndex<T>(files: Iterable<[path: string, file: T]>, prefix: string): Map<string, T> {
	const byPath = new Map<string, T>();
	for (const [path, file] of files) {
		const pathname = `${prefix}${path}`;
		byPath.set(pathname, file);
		if (/(^|\/)index\.html$/.test(path)) {
			const dir = pathname.slice(0, -'index.html'.length);
			byPath.set(dir, file);
			if (dir.length > 1) byPath.set(dir.slice(0, -1), file);
		}
	}
	return byPath;
}
