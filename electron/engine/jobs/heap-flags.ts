/**
 * V8 flags for a process that holds a query set's results (millions of hits) or builds an index: the engine's
 * process in the application, and the CLI's long commands. V8 fixes the young generation's size when the process
 * starts, at up to 2 × 64 MB on a machine with much memory, and keeps the pages it cycled through: 16 MB semi-spaces
 * cut an experiment's resident memory by hundreds of MB at no measurable cost in time. And it lets the old generation
 * grow to several times what it holds before collecting: growing by a quarter at most costs a few per cent of CPU and
 * keeps resident memory near the live data (docs/evaluation.md, experiments at scale).
 */
/** Flags V8 reads only when the process starts. */
export const startupHeapFlags: readonly string[] = ['--max-semi-space-size=16'];
/** Flags that take effect when set at run time (v8.setFlagsFromString). */
export const runtimeHeapFlags: readonly string[] = ['--heap-growing-percent=25'];
export const heapFlags: readonly string[] = [...startupHeapFlags, ...runtimeHeapFlags];
