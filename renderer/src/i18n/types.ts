/** A message whose form depends on a count, one entry per CLDR plural category the language uses. */
export interface Plural {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | Plural;
