import { z } from 'zod';
import { PontError } from '../errors.ts';

/**
 * A name a stage resolves per query set, so that one experiment gives each variety its own bridge or model: a plain
 * name; a template where `{querySet}` is replaced by the name of the query set being run (`"lopo-{querySet}"`); or
 * a name per query set (`{"l10n-oc-fr": "l10n-ca-fr"}`).
 */
export const perQuerySetName = z.union([z.string().min(1), z.record(z.string().min(1), z.string().min(1))]);

export type PerQuerySetName = z.output<typeof perQuerySetName>;

/** The name for the query set being run; `field` names the stage's parameter in errors. */
export function resolvePerQuerySet(spec: PerQuerySetName, ctx: { querySet?: string | undefined }, field: string): string {
  if (typeof spec !== 'string') {
    const name = ctx.querySet === undefined ? undefined : spec[ctx.querySet];
    if (name === undefined) {
      throw new PontError('invalid_input', 'pipeline.needs_query_set', { field, name: JSON.stringify(spec) }, [{ field, reason: `none for query set ${ctx.querySet ?? '(none)'}` }]);
    }
    return name;
  }
  if (!spec.includes('{querySet}')) return spec;
  if (!ctx.querySet) throw new PontError('invalid_input', 'pipeline.needs_query_set', { field, name: spec }, [{ field, reason: '{querySet} needs a query set' }]);
  return spec.replaceAll('{querySet}', ctx.querySet);
}

/** How a per-query-set name reads in a label. */
export const perQuerySetLabel = (spec: PerQuerySetName): string => (typeof spec === 'string' ? spec : Object.values(spec).join('|'));
