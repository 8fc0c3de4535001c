import { catalogues, interfaceLanguages, type InterfaceLanguage, type MessageKey, type Message } from './catalogues.ts';
import { errorCatalogues } from './errors/index.ts';
import type { MessageId } from './errors/types.ts';

const STORAGE_KEY = 'pont.interfaceLanguage';
/** No language stored yet: this is the interface's first start here, when a content pack's default may apply. */
export const firstStart = localStorage.getItem(STORAGE_KEY) === null;

/** CLDR has no plural rules for some varieties; these neighbours share theirs (one = exactly 1). */
const pluralFallback: Record<string, string> = { oc: 'ca', scn: 'it' };

function pluralRules(lang: string): Intl.PluralRules {
  const tag = Intl.PluralRules.supportedLocalesOf([lang]).length > 0 ? lang : (pluralFallback[lang] ?? 'en');
  return new Intl.PluralRules(tag);
}

function initialLanguage(): InterfaceLanguage {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && (interfaceLanguages as readonly string[]).includes(stored)) return stored as InterfaceLanguage;
  for (const l of navigator.languages ?? []) {
    const primary = l.toLowerCase().split('-')[0]!;
    if ((interfaceLanguages as readonly string[]).includes(primary)) return primary as InterfaceLanguage;
  }
  return 'en';
}

class I18n {
  lang = $state<InterfaceLanguage>(initialLanguage());
  private rules = $derived(pluralRules(this.lang));
  private numbers = $derived(new Intl.NumberFormat(Intl.NumberFormat.supportedLocalesOf([this.lang]).length ? this.lang : (pluralFallback[this.lang] ?? 'en')));

  constructor() {
    $effect.root(() => {
      $effect(() => {
        document.documentElement.lang = this.lang;
        localStorage.setItem(STORAGE_KEY, this.lang);
      });
    });
  }

  /** A message with `{name}` placeholders; a message with plural forms picks its form by `count`. */
  t = (key: MessageKey, params: Record<string, string | number> = {}): string => {
    const message: Message = catalogues[this.lang][key] ?? catalogues.en[key];
    let text: string;
    if (typeof message === 'string') text = message;
    else {
      const n = Number(params.count ?? 0);
      const form = n === 0 && message.zero !== undefined ? 'zero' : this.rules.select(n);
      text = message[form as keyof typeof message] ?? message.other;
    }
    return this.fill(text, params);
  };

  /**
   * An engine error in the interface language: its message id through the error catalogues, else (an error from
   * the transport, or from an engine newer than this interface) a sentence for its code.
   */
  error = (e: { code: string; id?: MessageId | undefined; params?: Record<string, string | number> }): string => {
    const text = e.id ? errorCatalogues[this.lang][e.id] : undefined;
    if (text !== undefined) return this.fill(text, e.params ?? {});
    const key = `error.code.${e.code}` as MessageKey;
    return key in catalogues.en ? this.t(key) : this.t('error.code.internal');
  };

  private fill(text: string, params: Record<string, string | number>): string {
    return text.replace(/\{(\w+)\}/g, (m, name: string) => {
      const v = params[name];
      if (v === undefined) return m;
      return typeof v === 'number' ? this.number(v) : v;
    });
  }

  number = (n: number, digits?: number): string =>
    digits === undefined ? this.numbers.format(n) : n.toLocaleString(this.numbers.resolvedOptions().locale, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export const i18n = new I18n();
export const t = i18n.t;
export const errorText = i18n.error;

/** The name of a language variety in the interface language; unknown codes show as themselves. */
export function varietyName(code: string): string {
  const key = `variety.${code}` as MessageKey;
  return key in catalogues.en ? t(key) : code;
}

/**
 * A collection's description in the interface language: the demo's collections have theirs in the catalogues,
 * used while the stored description is still the demo's own (a user who rewrote it sees their text).
 */
export function collectionDescription(name: string, description: string | null): string | null {
  const key = `demo.${name}` as MessageKey;
  return key in catalogues.en && catalogues.en[key] === description ? t(key) : description;
}

/** The engine reports phases and units in English words; show the interface language's when the catalogue has them. */
export function engineWord(kind: 'phase' | 'unit', word: string): string {
  const key = `${kind}.${word.replaceAll(' ', '-')}` as MessageKey;
  return key in catalogues.en ? t(key) : word;
}
