// What the benchmark's test files share: the site's origin, the clock marks the
// setup files leave, and writing the figures where the runner reads them.
import fs from 'node:fs';

interface Marks {
	/** performance.now() as the setup file started, before importing the mocking library. */
	setupStart?: number;
	/** performance.now() once the mocks were ready. */
	setupEnd?: number;
}

const marks: Marks = ((globalThis as { __benchMarks?: Marks }).__benchMarks ??= {});

/** Records a setup mark; the setup files call it first and last. */
export function mark(name: keyof Marks) {
	marks[name] = performance.now();
}

/** The setup marks of this file. */
export const setupMarks = (): Readonly<Marks> => marks;

/** The origin both mocks answer: the page's under happy-dom, setupEmulator's default under node. */
export const benchOrigin = () => {
	const origin = globalThis.location?.origin;
	return origin && origin !== 'null' ? origin : 'http://localhost:3000';
};

/** Writes this file's figures to the JSON file the runner named in BENCH_VITEST_OUT. */
export function writeResult(result: Record<string, unknown>) {
	const out = process.env.BENCH_VITEST_OUT;
	if (!out) throw new Error('BENCH_VITEST_OUT is not set: run this file through bench/vitest/run.mjs');
	fs.writeFileSync(out, JSON.stringify(result));
}
