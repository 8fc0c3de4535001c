import type { CollectionSummary } from '../../../electron/api/contract/collections.ts';
import { ApiError, type PontApi } from './api.ts';
import { connect } from './connect.ts';
import { firstStart, i18n } from '../i18n/i18n.svelte.ts';
import { interfaceLanguages, type InterfaceLanguage } from '../i18n/catalogues.ts';

export type View = 'search' | 'library' | 'experiments';

/** What every view shares: the engine connection, the collections, the methods the engine answers. */
class AppState {
  readonly api: PontApi = connect();
  view = $state<View>('search');
  collections = $state<CollectionSummary[]>([]);
  methods = $state<Set<string>>(new Set());
  workspace = $state('');
  version = $state('');
  /** Set when the engine cannot serve at all (workspace damaged or locked, server gone). */
  fatal = $state<ApiError | null>(null);
  loaded = $state(false);
  /** The variety the installed content packs say their users write in, if any. */
  defaultVariety = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      const info = await this.api.call('app.info', {});
      this.methods = new Set(info.methods);
      this.workspace = info.workspace;
      this.version = info.version;
      await this.refreshCollections();
      await this.applyPackDefaults();
      this.fatal = null;
    } catch (e) {
      this.fatal = e instanceof ApiError ? e : new ApiError({ code: 'internal', message: (e as Error).message });
    } finally {
      this.loaded = true;
    }
  }

  /** A partner's pack may name its community's interface language: used on the first start, never over a user's choice. */
  private async applyPackDefaults(): Promise<void> {
    if (!this.has('pack.defaults')) return;
    const d = await this.api.call('pack.defaults', {});
    this.defaultVariety = d.variety ?? null;
    if (firstStart && d.language && (interfaceLanguages as readonly string[]).includes(d.language)) i18n.lang = d.language as InterfaceLanguage;
  }

  async refreshCollections(): Promise<void> {
    this.collections = await this.api.call('collection.list', {});
  }

  has(method: string): boolean {
    return this.methods.has(method);
  }
}

export const app = new AppState();
