// Endpoint code in group scripts (build/worker-scripts.mjs): what goes where, and
// the start-up property it exists for: the code a restarted worker compiles and
// runs does not grow with the number of endpoints (their table, data, does).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../build.mjs';
import { ROUTES_PER_SCRIPT, SPLIT_FROM } from '../../build/worker-scripts.mjs';
import { manyEndpointsProject } from '../engines/temp-project.ts';
import { precachedPaths } from './helpers.ts';

const projects: Array<{ remove(): void }> = [];
afterAll(() => projects.forEach((p) => p.remove()));

async function compiled(count: number) {
	const project = manyEndpointsProject(count);
	projects.push(project);
	const result = await compile({ root: project.root, logger: null });
	const outputs = result.outputs as Record<string, string>;
	const groups = Object.keys(outputs).filter((f) => /^sw-routes\/\d+-\w+\.js$/.test(f));
	return { outputs, groups, sw: outputs['sw.js'] };
}

/** sw.js without its JSON data (the route table, the groups, the precache list): the code a worker compiles. */
const codeOf = (sw: string) => sw.replace(/JSON\.parse\('(?:[^'\\]|\\.)*'\)/g, 'J');

/**
 * Runs sw.js's top level as a restarted worker would, then its install event;
 * counts importScripts calls and answers them from `outputs`.
 */
function evaluate(outputs: Record<string, string>, { compiles = true } = {}) {
	const imported: string[] = [];
	const listeners = new Map<string, Array<(event: unknown) => void>>();
	const self: Record<string, unknown> = {
		...{ Response, Request, Headers, URL, URLSearchParams, TextEncoder, TextDecoder, ReadableStream, Blob, FormData, AbortController },
		...{ structuredClone, setTimeout, clearTimeout, queueMicrotask, performance, console, crypto, atob, btoa },
		location: new URL('https://site.test/sw.js'),
		registration: { scope: 'https://site.test/', active: null },
		addEventListener: (type: string, fn: (event: unknown) => void) => listeners.set(type, [...(listeners.get(type) ?? []), fn]),
		// What the top level and install reach of the platform (storage opens on first use).
		caches: { open: async () => ({ addAll: async () => undefined, put: async () => undefined, keys: async () => [] }), keys: async () => [] },
		indexedDB: { open: () => ({}) },
		clients: {},
		navigator: {},
		importScripts: (...urls: string[]) => {
			for (const url of urls) {
				imported.push(url);
				vm.runInContext(outputs[new URL(url).pathname.slice(1)], context);
			}
		},
	};
	self.self = self;
	// `compiles: false` is what a Content-Security-Policy without 'unsafe-eval' does to the worker.
	const context = vm.createContext(self, { codeGeneration: { strings: compiles } });
	vm.runInContext(outputs['sw.js'], context);
	const atStart = imported.length;
	for (const fn of listeners.get('install') ?? []) fn({ waitUntil: (p: Promise<unknown>) => p.catch(() => undefined) });
	return { atStart, atInstall: imported.length - atStart, groups: (self.__sweRoutes ?? {}) as Record<number, Record<number, unknown>> };
}

describe('endpoint code in group scripts', () => {
	it(`from ${SPLIT_FROM} on-demand endpoints, each one's own modules are in a group of ${ROUTES_PER_SCRIPT}, and what several endpoints or the middleware import is in sw.js once`, async () => {
		const { outputs, groups, sw } = await compiled(SPLIT_FROM + 20);
		// Every endpoint but r5 (r4 imports it).
		expect(groups).toHaveLength(Math.ceil((SPLIT_FROM + 19) / ROUTES_PER_SCRIPT));
		const inGroups = groups.map((g) => outputs[g]).join('\n');
		expect(sw).not.toContain('only-in-r1');
		expect(inGroups.match(/only-in-r1/g)).toHaveLength(1);
		for (const shared of ['shared-counter', 'from-middleware', 'r5-own-module']) {
			expect(sw.match(new RegExp(shared, 'g'))).toHaveLength(1);
			expect(inGroups).not.toContain(shared);
		}
		expect(sw).not.toContain('r6 fails on purpose');
		for (const g of groups) expect(outputs[`${g}.map`]).toContain('src/pages/api/r');
	});

	it(`below ${SPLIT_FROM} endpoints, everything is in sw.js`, async () => {
		const { groups, sw } = await compiled(SPLIT_FROM - 1);
		expect(groups).toEqual([]);
		expect(sw).toContain('only-in-r1');
		expect(sw).not.toContain('importScripts');
	});

	it("a restarted worker's start-up code is the same for 1,000 endpoints as for 100, and runs no group script", async () => {
		const small = await compiled(SPLIT_FROM);
		const large = await compiled(1000);
		expect(large.groups).toHaveLength(Math.ceil(999 / ROUTES_PER_SCRIPT));
		// The endpoints' code is in the groups: sw.js's code differs by the table's size only.
		expect(Math.abs(codeOf(large.sw).length - codeOf(small.sw).length)).toBeLessThan(200);
		expect(large.sw.length - codeOf(large.sw).length).toBeGreaterThan(100_000);
		const run = evaluate(large.outputs);
		expect(run.atStart).toBe(0);
		// Groups are cached after install, as prerendered outputs, not imported: importScripts at install costs 10–15 ms each in Chromium.
		expect(run.atInstall).toBe(0);
		expect(Object.keys(run.groups)).toHaveLength(0);
		const precached = precachedPaths(large.sw);
		for (const g of large.groups) expect(precached).toContain(g);
	});

	it('where the worker may not compile text (a Content-Security-Policy without unsafe-eval), install imports every group once', async () => {
		const { outputs, groups } = await compiled(SPLIT_FROM + 60);
		const run = evaluate(outputs, { compiles: false });
		expect(run.atStart).toBe(0);
		expect(run.atInstall).toBe(groups.length);
		expect(Object.keys(run.groups)).toHaveLength(groups.length);
	});
});
