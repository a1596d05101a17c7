// Content types of static files (prerendered outputs and public/ files), by
// extension, as a static host gives them. Plain JS: the build and the worker share it.

/** Extension (lower case, with the dot) → content type. */
export const CONTENT_TYPES = {
	'.json': 'application/json',
	'.txt': 'text/plain; charset=utf-8',
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.ico': 'image/x-icon',
	'.xml': 'application/xml',
	'.csv': 'text/csv; charset=utf-8',
	'.md': 'text/markdown; charset=utf-8',
	'.webmanifest': 'application/manifest+json',
	'.wasm': 'application/wasm',
	'.map': 'application/json',
	'.pdf': 'application/pdf',
	'.woff2': 'font/woff2',
};

/**
 * A file path's extension as the table keys it (lower case, with the dot); '' without one.
 * The worker imports only this: its build carries the types its own files need (build/bundle.mjs).
 * @param {string} file
 */
export function extensionOf(file) {
	return /\.[^./]+$/.exec(file)?.[0].toLowerCase() ?? '';
}

/**
 * The content type for a file path (`application/octet-stream` without a known extension).
 * @param {string} file
 */
export function contentTypeOf(file) {
	return CONTENT_TYPES[/** @type {keyof typeof CONTENT_TYPES} */ (extensionOf(file))] || 'application/octet-stream';
}
