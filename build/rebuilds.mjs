// What the watch mode and the Vite plugin share when they rebuild on changes.

/** What a failed development rebuild adds to its error. */
export const KEEPS_SERVING = 'the last good build keeps serving; fix the file and save to rebuild';

/**
 * Runs `task` one at a time: a call while it runs asks for one more run after it
 * (however many calls came), so the last change is always built and builds never overlap.
 * @param {() => Promise<void>} task
 * @returns {() => Promise<void>}
 */
export function oneAtATime(task) {
	let running = false;
	let again = false;
	const run = async () => {
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			await task();
		} finally {
			running = false;
			if (again) {
				again = false;
				void run();
			}
		}
	};
	return run;
}
