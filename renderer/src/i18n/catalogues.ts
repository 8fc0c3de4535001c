import { en } from './en.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';
import { oc } from './oc.ts';
import { ca } from './ca.ts';
import { scn } from './scn.ts';
import type { Message } from './types.ts';

export type { Message };
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, Message>;

export const interfaceLanguages = ['oc', 'ca', 'scn', 'fr', 'it', 'en'] as const;
export type InterfaceLanguage = (typeof interfaceLanguages)[number];

/** Each language named in itself, as a language switcher should. */
export const languageNames: Record<InterfaceLanguage, string> = {
  oc: 'Occitan',
  ca: 'Català',
  scn: 'Sicilianu',
  fr: 'Français',
  it: 'Italiano',
  en: 'English',
};

export const catalogues: Record<InterfaceLanguage, Catalogue> = { en, fr, it, oc, ca, scn };
