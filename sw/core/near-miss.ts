// A guard in front of Astro's route patterns where they backtrack: a segment with
// several params (`[a]-[b]-[c].json`). The build's manifest imports this module,
// and sets `check` on such routes, only for projects that have one.

const PART = /\[(\.\.\.)?[^\]]+\]|[^[]+/g;
const PLAIN = /^[\w.~-]+$/;

/**
 * For a route with two or more params in one segment (`/a/[x]-[y]-[z].json`): a
 * test, linear in the path's length, that fails wherever Astro's pattern cannot
 * match. The pattern's lazy groups backtrack on a near-miss, polynomially in the
 * segment's length with one power per param (probed, Node 20: a 4,000-character
 * segment of dashes took 23 s against three params); this test runs first, so the
 * pattern runs only where such a segment can match. Each param
 * takes the shortest text up to the next literal's first occurrence (which leaves
 * the most room to the rest: a later occurrence never makes a match possible that
 * the first does not), and the last literal ends the segment. Null for other
 * routes, and for literals other than plain characters (the pattern encodes some).
 */
export function nearMissCheck(route: string, pattern: string): ((pathname: string) => boolean) | null {
	const segments = route.split('/').slice(1);
	const parts = segments.map((segment) => segment.match(PART) ?? []);
	if (parts.some((p) => p.some((x) => x.startsWith('[...')))) return null;
	const risky = parts.flatMap((p, i) => (p.filter((x) => x.startsWith('[')).length > 1 ? [i] : []));
	const unusual = (p: string[]) => p.some((x, j) => (x.startsWith('[') ? p[j + 1]?.startsWith('[') : !PLAIN.test(x)));
	if (!risky.length || risky.some((i) => unusual(parts[i]!))) return null;
	// The pattern's end: `\/?$` (trailingSlash 'ignore'), `\/$` ('always'), `$` ('never').
	const slash = pattern.endsWith('\\/?$') ? undefined : pattern.endsWith('\\/$');
	return (pathname) => {
		const trailing = pathname.length > 1 && pathname.endsWith('/');
		if (slash !== undefined && slash !== trailing) return false;
		const path = trailing ? pathname.slice(0, -1) : pathname;
		const got = path.split('/').slice(1);
		if (got.length !== segments.length) return false;
		return risky.every((i) => segmentCanMatch(parts[i]!, got[i]!));
	};
}

/** Whether `text` can be split as `parts` (params: one character or more; literals as written). */
function segmentCanMatch(parts: string[], text: string): boolean {
	let at = 0;
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i]!;
		if (!part.startsWith('[')) {
			if (!text.startsWith(part, at)) return false;
			at += part.length;
			continue;
		}
		const next = parts[i + 1];
		if (next === undefined) return at < text.length;
		if (i + 2 === parts.length) return text.endsWith(next) && text.length - next.length > at;
		const found = text.indexOf(next, at + 1);
		if (found < 0) return false;
		at = found;
	}
	return at === text.length;
}
