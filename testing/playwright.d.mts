// Types of the Playwright fixture (testing/playwright.mjs).
import type { TestType, PlaywrightTestArgs, PlaywrightTestOptions, PlaywrightWorkerArgs, PlaywrightWorkerOptions } from '@playwright/test';
import type { InstalledEndpoint, PageCookie, RequestRecord } from '../sw/protocol/messages.ts';

export { expect } from '@playwright/test';
export type { PageCookie, RequestRecord };

export interface EmulatorOptions {
	/** the project folder holding src/pages (default: the current directory) */
	root?: string;
	/** config values (Astro's names), over the project's config file */
	config?: Record<string, unknown>;
	/** build and serve the project (default true); false when the app's own server serves a page that calls startEmulator() */
	serve?: boolean;
}

/** The `emulator` fixture: the controls of the page's emulator, and its request log. */
export interface EmulatorFixture {
	/** A handler that runs inside the worker (sent as source text: it cannot use variables from the test) for `method` (or '*') requests to `path`, until reset(). */
	use(method: string, path: string, handler: ((context: any) => Response | Promise<Response>) | string, options?: { once?: boolean }): Promise<void>;
	delay(path: string, ms: number, options?: { method?: string }): Promise<void>;
	fail(path: string, options?: { method?: string; times?: number }): Promise<void>;
	setLocals(locals: Record<string, unknown>): Promise<void>;
	seed(data: { cookies?: Record<string, string>; session?: Record<string, unknown>; locals?: Record<string, unknown> }): Promise<void>;
	/** Forgets cookies, sessions, locals, overrides, network rules and the request log. */
	reset(): Promise<void>;
	install(file: string, code: string, options?: { source?: string }): Promise<InstalledEndpoint | void>;
	/** The page-visible (not HttpOnly) cookies the worker holds and sends; `inDocument` tells whether document.cookie shows each. */
	cookies(): Promise<PageCookie[]>;
	/** the requests the worker answered for this test's pages, in order */
	readonly requests: RequestRecord[];
	on(event: 'request', listener: (record: RequestRecord) => void): () => void;
	/** Resolves once the page's emulator runs. */
	ready(timeout?: number): Promise<void>;
}

export declare const test: TestType<
	PlaywrightTestArgs & PlaywrightTestOptions & { emulator: EmulatorFixture },
	PlaywrightWorkerArgs & PlaywrightWorkerOptions & { emulatorOptions: EmulatorOptions }
>;
