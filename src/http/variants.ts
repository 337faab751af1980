import { LRUCache } from 'lru-cache'
import { nextLastModified, represent, type Prepared, type Representation } from './prepared.js'

interface Entry {
  /** The snapshot generation this entry was last confirmed for. */
  generation: number
  /** Names everything the bytes depend on: equal key, equal bytes. */
  readonly contentKey: string
  readonly representation: Representation
}

export interface VariantCacheOptions {
  /** Bound on the bytes held (bodies, compressed forms, keys), whatever the variety of requests. */
  readonly maxBytes: number
}

export interface VariantStats {
  readonly entries: number
  readonly bytes: number
  readonly maxBytes: number
  /** Requests answered from an entry confirmed for the current snapshot. */
  readonly hits: number
  /** Entries confirmed for a new snapshot without preparing anything (same content). */
  readonly confirmed: number
  /** Representations prepared (rendered, serialised, compressed). */
  readonly prepared: number
}

/**
 * Prepared representations by variant (a URL's route and canonical
 * parameters), bounded in bytes. A lookup is a hit when the entry was made
 * or confirmed for the current snapshot generation. Otherwise the caller
 * names the content the variant has now: the same content key keeps the
 * representation (and so its ETag and Last-Modified); a new one prepares
 * it, with Last-Modified moved to when its inputs changed. So Last-Modified
 * is when the content last changed, for as long as the entry lives; an
 * evicted one comes back dated by its snapshot, which is never earlier.
 */
export function createVariantCache(options: VariantCacheOptions) {
  const entries = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    sizeCalculation: (entry, key) => entry.representation.size + (key.length + entry.contentKey.length) * 2,
  })
  let hits = 0
  let confirmed = 0
  let prepared = 0

  return {
    /** The variant's representation when it is current for `generation`. */
    get(key: string, generation: number): Representation | undefined {
      const entry = entries.get(key)
      if (entry?.generation !== generation) return undefined
      hits++
      return entry.representation
    },

    /**
     * The variant's representation for `generation`, whose content is named by
     * `contentKey` and, when new, prepared by `prepare` as of `asOf`.
     */
    put(key: string, generation: number, contentKey: string, asOf: number, prepare: () => Prepared): Representation {
      const previous = entries.get(key)
      if (previous?.contentKey === contentKey) {
        previous.generation = generation
        confirmed++
        return previous.representation
      }
      prepared++
      const representation = represent(prepare(), nextLastModified(asOf, previous?.representation.lastModifiedMs))
      entries.set(key, { generation, contentKey, representation })
      return representation
    },

    stats(): VariantStats {
      return {
        entries: entries.size,
        bytes: entries.calculatedSize,
        maxBytes: options.maxBytes,
        hits,
        confirmed,
        prepared,
      }
    },
  }
}

export type VariantCache = ReturnType<typeof createVariantCache>
