import { LRUCache } from 'lru-cache'
import { detached, nextLastModified, represent, type Prepared, type Representation } from './prepared.js'

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
  /** For keys a client can make up (query parameters): see `createAdmission`. */
  readonly admission?: Admission
}

/** Slots of the doorkeeper: 2^16 fingerprints, 256 KiB, allocated once. */
const DOORKEEPER_SLOTS = 1 << 16

/** FNV-1a over a string's UTF-16 code units, from a seed: two of them make an index and a fingerprint. */
function fnv1a(text: string, seed: number): number {
  let h = seed
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/**
 * Whether a key has been asked for before: a fixed table of fingerprints
 * (the "doorkeeper" of TinyLFU; CDNs call it caching on the second hit).
 * Lossy and bounded: a collision only forgets or, rarely, admits early.
 */
export function createDoorkeeper(slots = DOORKEEPER_SLOTS) {
  const table = new Uint32Array(slots)
  const mask = slots - 1
  return {
    /** Records `key`; true when it was recorded already. */
    seen(key: string): boolean {
      const index = fnv1a(key, 0x811c9dc5) & mask
      const fingerprint = (fnv1a(key, 0x9e3779b9) | 1) >>> 0
      if (table[index] === fingerprint) return true
      table[index] = fingerprint
      return false
    },
  }
}

export interface Admission {
  /** Whether a new entry for `key` may be kept now. */
  admit(key: string): boolean
}

/**
 * Which new entries a cache keeps, when clients choose the keys: only a key
 * asked for before (the doorkeeper), and at most `perSecond` of them (a token
 * bucket holding one second's worth). Whatever is not kept is prepared, sent
 * and dropped while still young. Why: V8 promotes a cache entry to the old
 * generation, so a cache that a flood can churn makes dead entries there by
 * the thousand a second, and V8 answers by growing the heap (a repeated
 * flood of 200 000 URLs took the process past 350 MB; README, "Memory").
 * Real traffic asks again for the few variants pages embed, at a handful of
 * new ones a second, and is kept.
 */
export function createAdmission(perSecond: number, now: () => number = () => performance.now()): Admission {
  const doorkeeper = createDoorkeeper()
  const bucket = createRateAdmission(perSecond, now)
  return { admit: (key) => doorkeeper.seen(key) && bucket.admit(key) }
}

/**
 * At most `perSecond` new entries (the token bucket of createAdmission)
 * from their first request: for entries that cost far more to make than to
 * keep (a rendered PNG), where making one twice is the waste to avoid.
 */
export function createRateAdmission(perSecond: number, now: () => number = () => performance.now()): Admission {
  let tokens = perSecond
  let refilledAt = now()
  return {
    admit() {
      const at = now()
      tokens = Math.min(perSecond, tokens + ((at - refilledAt) / 1000) * perSecond)
      refilledAt = at
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
  }
}

export interface VariantStats {
  /** Variants prepared for one request and not kept (their admission said no). */
  readonly passed: number
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
 * With an `admission`, a new variant is kept only when it admits it.
 */
export function createVariantCache(options: VariantCacheOptions) {
  const entries = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    sizeCalculation: (entry, key) => entry.representation.size + (key.length + entry.contentKey.length) * 2,
  })
  const { admission } = options
  let hits = 0
  let confirmed = 0
  let prepared = 0
  let passed = 0

  function keep(key: string, generation: number, contentKey: string, representation: Representation, chosen: boolean) {
    const previous = entries.get(key)
    if (previous || !chosen || !admission || admission.admit(key)) {
      const kept = detached(representation)
      entries.set(key, { generation, contentKey, representation: kept })
      return kept
    }
    passed++
    return representation
  }

  /**
   * The variant's representation for `generation`, whose content is named by
   * `contentKey` and, when new, prepared by `prepare` as of `asOf`. A key
   * the client chose (query parameters) is kept only if the admission says so.
   * A `prepare` that works off the event loop (a PNG) gives a promise; the
   * content it makes is kept like any other, unless the same content was
   * kept meanwhile.
   */
  function put(
    key: string,
    generation: number,
    contentKey: string,
    asOf: number,
    prepare: () => Prepared,
    chosenByClient?: boolean,
  ): Representation
  function put(
    key: string,
    generation: number,
    contentKey: string,
    asOf: number,
    prepare: () => Prepared | Promise<Prepared>,
    chosenByClient?: boolean,
  ): Representation | Promise<Representation>
  function put(
    key: string,
    generation: number,
    contentKey: string,
    asOf: number,
    prepare: () => Prepared | Promise<Prepared>,
    chosenByClient = false,
  ): Representation | Promise<Representation> {
    const confirm = () => {
      const previous = entries.get(key)
      if (previous?.contentKey !== contentKey) return undefined
      previous.generation = generation
      confirmed++
      return previous.representation
    }
    const current = confirm()
    if (current) return current
    const made = prepare()
    const finish = (p: Prepared) => {
      prepared++
      const previousMs = entries.get(key)?.representation.lastModifiedMs
      return keep(key, generation, contentKey, represent(p, nextLastModified(asOf, previousMs)), chosenByClient)
    }
    return made instanceof Promise ? made.then((p) => confirm() ?? finish(p)) : finish(made)
  }

  return {
    /** The variant's representation when it is current for `generation`. */
    get(key: string, generation: number): Representation | undefined {
      const entry = entries.get(key)
      if (entry?.generation !== generation) return undefined
      hits++
      return entry.representation
    },

    put,

    stats(): VariantStats {
      return {
        entries: entries.size,
        bytes: entries.calculatedSize,
        maxBytes: options.maxBytes,
        hits,
        confirmed,
        prepared,
        passed,
      }
    },
  }
}

export type VariantCache = ReturnType<typeof createVariantCache>
