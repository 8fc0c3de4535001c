// The names of the execution providers, apart from onnxruntime itself: the API contract and the CLI's help list them
// without loading the runtime.

/**
 * Execution providers in order of preference. onnxruntime does not fall back inside one session (asking for
 * ['cuda', 'cpu'] throws CUDA's error), so each is tried on its own.
 */
export const providerIds = ['cuda', 'dml', 'webgpu', 'coreml', 'cpu'] as const;
export type ProviderId = (typeof providerIds)[number];
export type ProviderChoice = ProviderId | 'auto';

const labels: Record<ProviderId, string> = { cuda: 'CUDA', dml: 'DirectML', webgpu: 'WebGPU', coreml: 'CoreML', cpu: 'CPU' };
export const providerLabel = (p: ProviderId): string => labels[p];
