// Bounded state kept in memory: at most `limit` entries, the least recently used forgotten first.
//
// This was a Map subclass that evicted with `this.keys().next()`. V8 leaves a deleted entry's slot in
// a Map's table until the next rehash, and a fresh iterator steps over every such slot from the
// start, so each eviction cost time in proportion to the evictions before it: the flow monitor spent
// up to 500 µs per event there once its memories were full (bench:flows, 2026-12-06). lru-cache
// evicts in constant time.
import { LRUCache } from "lru-cache";

/** Any value but null and undefined, which lru-cache reserves (`get` answers undefined for a missing key). */
type Present = NonNullable<unknown>;

export class BoundedMap<K extends Present, V extends Present> extends LRUCache<K, V> {
  constructor(limit: number) {
    super({ max: limit });
  }
}
