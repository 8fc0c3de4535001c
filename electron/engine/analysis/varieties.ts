import { primaryLanguage } from './languages.ts';

/**
 * What Pont knows about the varieties people search in: for each, the varieties nearest to it, nearest first, and
 * the high-resource language it leans on (the one its speakers also read, and whose documents it most often
 * searches). The search chooser uses a neighbour's bridge when the variety has none of its own; the word aligner
 * borrows a neighbour's stopwords when a variety has no list.
 *
 * The table is deliberately small and says only what is uncontroversial: Occitan and Catalan are each other's
 * closest relatives (with Occitan read alongside French, Catalan alongside Spanish); Sicilian, Neapolitan and
 * Italian form a continuum; Afrikaans grew out of Dutch; Galician and Portuguese, Asturian and Spanish, Aragonese and
 * Spanish/Catalan, Corsican and Italian, Frisian and Dutch are the standard pairs.
 */
export interface VarietyInfo {
  neighbours: readonly string[];
  leansOn: string;
}

export const varietyTable: Readonly<Record<string, VarietyInfo>> = {
  oc: { neighbours: ['ca', 'fr', 'it'], leansOn: 'fr' },
  ca: { neighbours: ['oc', 'es', 'fr'], leansOn: 'es' },
  scn: { neighbours: ['nap', 'it'], leansOn: 'it' },
  nap: { neighbours: ['scn', 'it'], leansOn: 'it' },
  co: { neighbours: ['it'], leansOn: 'it' },
  af: { neighbours: ['nl'], leansOn: 'nl' },
  fy: { neighbours: ['nl'], leansOn: 'nl' },
  gl: { neighbours: ['pt', 'es'], leansOn: 'es' },
  ast: { neighbours: ['es'], leansOn: 'es' },
  an: { neighbours: ['es', 'ca'], leansOn: 'es' },
};

/** The variety's nearest neighbours, nearest first; none for a variety the table does not know. */
export function neighboursOf(variety: string): readonly string[] {
  return varietyTable[primaryLanguage(variety)]?.neighbours ?? [];
}

export function sameLanguage(a: string, b: string): boolean {
  return primaryLanguage(a) === primaryLanguage(b);
}
