import { createHash } from 'node:crypto'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { LRUCache } from 'lru-cache'

/** What a route prepares once: bytes and the headers that describe them. */
export interface Prepared {
  readonly body: string
  readonly contentType: string
  readonly cacheControl: string
  readonly headers?: Readonly<Record<string, string>>
  /** Worth compressing (HTML, JSON): done here, once, when large enough to pay. */
  readonly compressible?: boolean
}

export const ENCODINGS = ['br', 'gzip'] as const
export type Encoding = (typeof ENCODINGS)[number]

/** One encoding of a representation: its own bytes and so its own ETag (RFC 9110 §8.8.3). */
export interface Encoded {
  readonly body: Buffer
  readonly etag: string
}

/** A prepared representation: its bytes, its strong ETag, and fixed headers. */
export interface Representation {
  readonly body: Buffer
  readonly etag: string
  readonly headers: Readonly<Record<string, string>>
  /** Compressed forms, when the body is compressible and large enough. */
  readonly encoded?: Readonly<Record<Encoding, Encoded>>
}

/** Below this, compression saves too little to be worth a Vary and a second representation. */
export const COMPRESS_MIN_BYTES = 1024
const BROTLI_QUALITY = 5

function encode(body: Buffer): Record<Encoding, Encoded> | undefined {
  if (body.length < COMPRESS_MIN_BYTES) return undefined
  // Quality 11 takes about 70 times longer than 5 for some 13% less: too
  // slow for content that a request can cause (a landing page per Host).
  const br = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  })
  const gzip = gzipSync(body, { level: 6 })
  if (br.length >= body.length || gzip.length >= body.length) return undefined
  return { br: { body: br, etag: strongEtag(br) }, gzip: { body: gzip, etag: strongEtag(gzip) } }
}

/** A representation as served now, with when its content last changed. */
export interface Served {
  readonly representation: Representation
  readonly lastModifiedMs: number
  readonly lastModified: string
}

export interface RepresentationCacheOptions {
  /** Bound on the prepared bytes kept, whatever the variety of requests. */
  readonly maxBytes?: number
  readonly maxVariants?: number
}

const ENTRY_OVERHEAD_BYTES = 256

/** A strong ETag from the bytes alone: equal content, equal tag, on any replica. */
export function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

/**
 * Prepared representations, built once per distinct content and served from
 * memory after; bounded by bytes. A variant is one URL's representation (the
 * route and its parameters); a state key names the inputs that decide its
 * bytes. Last-Modified is tracked per variant: it moves only when the bytes
 * do, to the moment (`asOf`) the inputs that changed them took effect.
 */
export function createRepresentationCache(options: RepresentationCacheOptions = {}) {
  const prepared = new LRUCache<string, Representation>({
    maxSize: options.maxBytes ?? 8 * 1024 * 1024,
    // Keys count too: a key holds the request's parameters.
    sizeCalculation: (rep, key) =>
      key.length * 2 +
      rep.body.length +
      (rep.encoded?.br.body.length ?? 0) +
      (rep.encoded?.gzip.body.length ?? 0) +
      ENTRY_OVERHEAD_BYTES,
  })
  const history = new LRUCache<string, { etag: string; lastModifiedMs: number; lastModified: string }>({
    max: options.maxVariants ?? 10_000,
  })
  const stats = { hits: 0, misses: 0 }

  return {
    serve(variant: string, stateKey: string, asOf: number, prepare: () => Prepared): Served {
      const key = `${variant}\n${stateKey}`
      let representation = prepared.get(key)
      if (representation) stats.hits++
      else {
        stats.misses++
        const { body, contentType, cacheControl, headers, compressible } = prepare()
        const bytes = Buffer.from(body)
        const etag = strongEtag(bytes)
        const encoded = compressible ? encode(bytes) : undefined
        representation = {
          body: bytes,
          etag,
          headers: { ...headers, 'content-type': contentType, 'cache-control': cacheControl },
          ...(encoded && { encoded }),
        }
        prepared.set(key, representation)
      }
      let changed = history.get(variant)
      if (changed?.etag !== representation.etag) {
        // HTTP dates count seconds: two changes within one must still move it.
        const lastModifiedMs = Math.max(Math.floor(asOf / 1000) * 1000, (changed?.lastModifiedMs ?? 0) + 1000)
        changed = { etag: representation.etag, lastModifiedMs, lastModified: new Date(lastModifiedMs).toUTCString() }
        history.set(variant, changed)
      }
      return { representation, lastModifiedMs: changed.lastModifiedMs, lastModified: changed.lastModified }
    },
    /** For metrics and tests: what is held, and how often it served. */
    stats() {
      return { entries: prepared.size, bytes: prepared.calculatedSize, variants: history.size, ...stats }
    },
  }
}

export type RepresentationCache = ReturnType<typeof createRepresentationCache>
