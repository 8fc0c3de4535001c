import { PontError } from '../errors.ts';
import type { Hit } from './stage.ts';

/**
 * Results made query by query when they are asked for, from a smaller form kept per query (a decoded run's arrays,
 * fusion inputs). A consumer that deletes each query once it has read it (a fusion reading its systems, the
 * conversion to a stored run) never holds a whole query set of hit objects: 3,000 queries × 1,000 hits are ~200 MB
 * as objects. Reading a query twice makes its hits twice, equal both times. `drop` releases what else a query holds
 * when it is deleted.
 */
export class LazyResults<T> extends Map<string, Hit[]> {
  private readonly source: Map<string, T>;
  private readonly make: (item: T, qid: string) => Hit[];
  private readonly drop: (qid: string) => void;

  constructor(source: Map<string, T>, make: (item: T, qid: string) => Hit[], drop: (qid: string) => void = () => {}) {
    super();
    this.source = source;
    this.make = make;
    this.drop = drop;
  }

  override get size(): number {
    return this.source.size;
  }

  override get(qid: string): Hit[] | undefined {
    const item = this.source.get(qid);
    return item === undefined ? undefined : this.make(item, qid);
  }

  override has(qid: string): boolean {
    return this.source.has(qid);
  }

  override delete(qid: string): boolean {
    this.drop(qid);
    return this.source.delete(qid);
  }

  override clear(): void {
    for (const qid of [...this.source.keys()]) this.delete(qid);
  }

  override set(): this {
    throw new PontError('internal', 'internal.read_only_results');
  }

  override keys(): MapIterator<string> {
    return this.source.keys();
  }

  override *entries(): MapIterator<[string, Hit[]]> {
    for (const [qid, item] of this.source) yield [qid, this.make(item, qid)];
  }

  override *values(): MapIterator<Hit[]> {
    for (const [qid, item] of this.source) yield this.make(item, qid);
  }

  override [Symbol.iterator](): MapIterator<[string, Hit[]]> {
    return this.entries();
  }

  override forEach(f: (hits: Hit[], qid: string, map: Map<string, Hit[]>) => void, self?: unknown): void {
    for (const [qid, hits] of this.entries()) f.call(self, hits, qid, this);
  }
}
