// Types of the Playwright fixture (testing/playwright.mjs).
import type { TestType, PlaywrightTestArgs, PlaywrightTestOptions, PlaywrightWorkerArgs, PlaywrightWorkerOptions } from '@playwright/test';
import type { Controls, InstalledEndpoint, PageCookie } from '../sw/protocol/controls.ts';
import type { RequestRecord } from '../sw/protocol/messages.ts';
import type { RequestLog } from '../sw/protocol/records.ts';

export { expect } from '@playwright/test';
export type { Controls, InstalledEndpoint, PageCookie, RequestRecord };

export interface EmulatorOptions {
	/** the project folder holding src/pages (default: the current directory) */
	root?: string;
	/** config values (Astro's names), over the project's config file */
	config?: Record<string, unknown>;
	/**
	 * build and serve the project (default true; its build must have an index.html, or set-up fails saying so);
	 * false when the app's own server (Playwright's `webServer`, e.g. `vite preview`) serves a page that calls startEmulator()
	 */
	serve?: boolean;
}

/**
 * The `emulator` fixture: the controls of the page's emulator (`use` handlers run
 * inside the worker: sent as source text, they cannot use variables from the test)
 * and its request log. Controls that resolve to nothing and are called before the
 * page starts its emulator are queued and applied before its first request;
 * `install`, `installed` and `cookies` need the running emulator.
 * A control the page's build refuses (`use`, `delay`, `fail`, `seed`, `install`
 * against a build without controls) rejects with the reason; a queued one that
 * the page's startEmulator() refused rejects `ready()` or the next control, and
 * otherwise fails the test when it ends.
 */
export interface EmulatorFixture extends Controls, RequestLog {
	/**
	 * Resolves once the page's emulator runs. Rejects with startEmulator()'s own error
	 * when it failed in the page, or with the reason a queued control was refused.
	 */
	ready(timeout?: number): Promise<void>;
}

export declare const test: TestType<
	PlaywrightTestArgs & PlaywrightTestOptions & { emulator: EmulatorFixture },
	PlaywrightWorkerArgs & PlaywrightWorkerOptions & { emulatorOptions: EmulatorOptions }
>;
