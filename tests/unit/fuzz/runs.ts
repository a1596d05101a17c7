// Settings every property of this folder runs with. The seed is fixed, so `npm test`
// checks the same cases on every run and never fails by chance; FC_SEED=<integer>
// picks another, FC_SEED=random a new one each run (a search for new findings). A
// failure prints its seed and the shrunk counterexample's path: FC_SEED and FC_PATH,
// with `vitest -t` naming the property, replay exactly that case. FC_RUNS_FACTOR
// scales every property's run count for a longer search.
import type { Parameters } from 'fast-check';

const DEFAULT_SEED = 20_261_128;
const given = process.env.FC_SEED;
const seed = given === 'random' ? undefined : given === undefined || given === '' ? DEFAULT_SEED : Number(given);
if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${process.env.FC_SEED}`);
const path = process.env.FC_PATH || undefined;
const factor = Number(process.env.FC_RUNS_FACTOR || 1);

/** fast-check parameters for a property that runs `numRuns` times at the default settings. */
export function runs<T>(numRuns: number): Parameters<T> {
	return {
		numRuns: Math.max(1, Math.round(numRuns * factor)),
		...(seed === undefined ? {} : { seed }),
		...(path === undefined ? {} : { path }),
	};
}
