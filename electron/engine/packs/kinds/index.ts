import { PontError } from '../../errors.ts';
import { bridgeKind } from './bridge.ts';
import { collectionKind } from './collection.ts';
import { modelKind } from './model.ts';
import { queriesKind } from './queries.ts';
import type { ItemKind } from './kind.ts';

/** Every kind of item a pack can carry; a new kind is one module and one line here. */
export const itemKinds: readonly ItemKind[] = [collectionKind, queriesKind, modelKind, bridgeKind].sort((a, b) => a.order - b.order);

export function itemKind(kind: string, where = 'kind'): ItemKind {
  const k = itemKinds.find((x) => x.kind === kind);
  if (!k) {
    throw new PontError('bad_data', 'pack.unknown_kind', { kind, known: itemKinds.map((x) => x.kind).join(', ') }, [
      { field: where, reason: `unknown kind ${kind}` },
    ]);
  }
  return k;
}
