// `context.cookies` in a worker whose code never mentions cookies: no file under
// src/ and no package an endpoint imports says `cookie` (the build's feature scan,
// build/bundle.mjs), so Astro's cookie rules (cookies.ts: 1,000 bytes of a
// one-endpoint worker, gzip) are left out and the build puts this in their place.
// It sends no Set-Cookie line, and says why if code reaches it anyway (say,
// through a name built at run time).
import { SwEndpointsError } from './errors.js';

const LEFT_OUT =
	'context.cookies is not in this build: no file under src/, and no package an endpoint imports, mentions `cookie`, so the build left cookies out. Name them in the file that uses them (e.g. `const { cookies } = context`) and build again.';

function leftOut(): never {
	throw new SwEndpointsError('CookiesLeftOut', LEFT_OUT);
}

/** Stands for AstroCookies (cookies.ts): the same constructor and methods. */
export class AstroCookies {
	constructor(_cookieHeader: string | null) {}
	get(..._args: unknown[]): never {
		return leftOut();
	}
	has(..._args: unknown[]): never {
		return leftOut();
	}
	set(..._args: unknown[]): never {
		return leftOut();
	}
	delete(..._args: unknown[]): never {
		return leftOut();
	}
	merge(..._args: unknown[]): never {
		return leftOut();
	}
	headers(): never {
		return leftOut();
	}
	/** Nothing was set. */
	consume(): string[] {
		return [];
	}
}
