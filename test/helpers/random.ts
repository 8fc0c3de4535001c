// Tests and benchmarks generate their data with the engine's seeded generator.
export { rng } from '../../electron/engine/random.ts';
