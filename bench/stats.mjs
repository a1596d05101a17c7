// What both benchmarks share: medians across interleaved rounds, and their tables.

/** The median of numbers (the mean of the middle two for an even count). */
export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Prints rows of cells as a left-aligned text table. */
export function printTable(header, rows) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const line = (cells) =>
		cells
			.map((c, i) => String(c).padEnd(widths[i]))
			.join('  ')
			.trimEnd();
	console.log(line(header));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const row of rows) console.log(line(row));
}
