// A worker whose code never mentions cookies is built without Astro's cookie rules
// (sw/core/cookies.ts): sw/core/no-cookies.ts stands in, sets none, and says why
// when code reaches it anyway. Where anything that runs could set one (a source
// file, a package an endpoint imports, the controls' handlers), the rules are in.
import { describe, expect, it } from 'vitest';
import { compile } from '../../build.mjs';
import { AstroCookies } from '../../sw/core/no-cookies.ts';
import { makeProject } from './helpers.ts';

const PLAIN = { 'src/pages/api/hello.ts': 'export const GET = () => Response.json({ ok: true });\n' };

/** Which cookie rules the worker of `files` carries. */
async function cookieRules(files: Record<string, string>, options: { controls?: boolean } = {}) {
	const built = await compile({ root: makeProject(files), logger: null, ...options });
	const inputs = Object.keys(built.metafile.inputs);
	const has = (file: string) => inputs.some((i) => i.replaceAll('\\', '/').endsWith(`sw/core/${file}`));
	return { rules: has('cookies.ts'), standIn: has('no-cookies.ts') };
}

describe('the cookie rules in the worker', () => {
	it('are left out when no file mentions cookies, the stand-in in their place', async () => {
		expect(await cookieRules(PLAIN)).toEqual({ rules: false, standIn: true });
	});

	it('are in when a source file mentions them, or a package an endpoint imports does', async () => {
		const own = { 'src/pages/api/me.ts': 'export const GET = ({ cookies }) => Response.json({ a: cookies.get("a")?.value ?? null });\n' };
		expect(await cookieRules(own)).toEqual({ rules: true, standIn: false });
		const viaPackage = {
			'src/pages/api/login.ts': 'import { login } from "auth-lib";\nexport const POST = login;\n',
			'node_modules/auth-lib/package.json': '{ "name": "auth-lib", "main": "index.js" }',
			'node_modules/auth-lib/index.js': 'exports.login = (context) => { context.cookies.set("sid", "1"); return new Response("ok"); };\n',
		};
		expect(await cookieRules(viaPackage)).toEqual({ rules: true, standIn: false });
	});

	it('are in a build with the controls, whose handlers come from outside the sources', async () => {
		expect(await cookieRules(PLAIN, { controls: true })).toEqual({ rules: true, standIn: false });
	});
});

describe('the stand-in', () => {
	it('sends no Set-Cookie line', () => {
		expect(new AstroCookies('a=1').consume()).toEqual([]);
	});

	it('says why cookies are missing and what to do when code reaches them anyway', () => {
		const cookies = new AstroCookies('a=1');
		for (const use of [() => cookies.get('a'), () => cookies.has('a'), () => cookies.set('a', '1'), () => cookies.delete('a')]) {
			expect(use).toThrow(
				expect.objectContaining({
					code: 'CookiesLeftOut',
					message: expect.stringMatching(/mentions `cookie`, so the build left cookies out\. Name them in the file/),
				}),
			);
		}
	});
});
