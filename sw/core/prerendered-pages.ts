// The site's prerendered error pages (config `errorPages`, which the Astro adapter
// sets): Astro answers a 404 it made itself (no handler for the method) and a thrown
// error with the page's file, fetched with no middleware, its status forced and its
// Content-Encoding and Content-Length dropped, merged under the original's headers
// (DefaultErrorHandler#renderError in packages/astro/src/core/errors/default-handler.ts;
// the Node adapter's prerenderedErrorPageFetch reads the file). Bundled only into
// builds that have such pages.
import { mergeResponses } from './error-pages.ts';
import { NativeResponse } from './native.ts';
import type { ErrorPages, HandlerConfig } from './pipeline.ts';

/** `ErrorPages` over `serve`, the host's static layer (the network where it has no answer); `origin`: the site's. */
export function createErrorPages(
	pages: NonNullable<HandlerConfig['errorPages']>,
	serve: (request: Request) => Promise<Response | undefined>,
	origin: string,
): ErrorPages {
	return async (status, original) => {
		const url = pages[status];
		if (!url) return undefined;
		const request = new Request(new URL(url, origin));
		const fetched = await serve(request)
			.then((r) => r ?? fetch(request))
			.catch(() => undefined);
		const headers = new Headers(fetched?.headers);
		headers.delete('content-encoding');
		headers.delete('content-length');
		// A page that cannot be had gives an empty answer of the status.
		const page = new NativeResponse(fetched?.body ?? null, { status, headers });
		return original ? mergeResponses(original, page) : page;
	};
}
