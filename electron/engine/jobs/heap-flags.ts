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
/**
 * The C library's allocator, read from the environment when the process starts. glibc raises its mmap threshold
 * each time a large block is freed (up to 32 MB); blocks below it then come from the heap, whose pages the process
 * keeps when they are freed. An index build allocates and frees arrays of every size up to tens of MB: a 1M-passage
 * chargram:3-5 build with a 512 MB budget peaked at 704 MB with the threshold moving, 624 MB with it fixed at glibc's
 * initial 128 KB (docs/lexical.md). Other C libraries ignore the variable. A value the user set is kept.
 */
export const startupEnv: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: String(128 << 10) };
