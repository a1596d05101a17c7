// `sw-endpoints/node`: Node mode's emulator (sw/node/emulator.mjs) and its Vitest
// set-up (testing/vitest.mjs), one import for a test file or a setup file.
export { createEmulator } from '../sw/node/emulator.mjs';
export { setupEmulator } from './vitest.mjs';
