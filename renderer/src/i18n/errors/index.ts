import type { InterfaceLanguage } from '../catalogues.ts';
import type { ErrorCatalogue } from './types.ts';
import { ca } from './ca.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';
import { oc } from './oc.ts';
import { scn } from './scn.ts';

export type { ErrorCatalogue };

/** The engine's messages in each interface language, by message id. */
export const errorCatalogues: Record<InterfaceLanguage, ErrorCatalogue> = { en, fr, it, oc, ca, scn };
