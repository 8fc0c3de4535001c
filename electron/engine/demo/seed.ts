import type { Workspace } from '../store/workspace.ts';

/**
 * Fills a fresh workspace with the built-in demo (resources/demo): a small French, Italian and Dutch collection
 * with example queries in Occitan, Catalan, Sicilian and Afrikaans, so that a first-time user can search at once.
 */
export async function seedDemo(_workspace: Workspace): Promise<void> {
  // The importers land with the foundation's import work; until then a fresh workspace starts empty.
}
