// What Vite's module runner (Vitest) passes to each module it transforms as a
// local binding, and nothing declares: build/import-file.mjs probes for it.
// Outside the runner it is absent (`typeof` gives 'undefined').

/** Vite's `import()` for transformed code (vite/module-runner: ssrDynamicImportKey). */
declare const __vite_ssr_dynamic_import__: ((id: string, options?: ImportCallOptions) => Promise<any>) | undefined;
