import { hash } from 'node:crypto'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Validators } from './conditional.js'
import type { Encoding } from './encoding.js'

/** What a route prepares: bytes and the headers that describe them. */
export interface Prepared {
  readonly body: string | Buffer
  readonly contentType: string
  readonly cacheControl: string
  /** Security headers, X-Badge-Error… */
  readonly headers: Readonly<Record<string, string>>
  /** Worth compressing (HTML, JSON): done once, here, when large enough to pay. */
  readonly compressible?: boolean
  /**
   * An error status (4xx, 5xx): sent with no ETag and no Last-Modified, and
   * never as a 304. Default 200.
   */
  readonly statusCode?: number
  /**
   * Whether the answer says when its content last changed. An error badge
   * does not: the same bytes answer many URLs, so no time is true for all.
   */
  readonly datable?: boolean
}

/** One encoding of a representation: its own bytes, ETag and headers (RFC 9110 §8.8.3). */
export interface Encoded {
  /**
   * Small text as a string, large text (LARGE_BODY_BYTES and more) and
   * compressed forms as Buffers. A string body lives in V8's heap, which
   * compacts; thousands of small Buffers churned through malloc left the
   * process with tens of MB it never gave back under a flood of distinct
   * badges (README, "Memory"), and Node sends a small string with its
   * headers in one write, no slower. But Node encodes a string to UTF-8 at
   * every send, into memory of its own that it holds until the client has
   * taken the bytes: a /components.json of thousands of monitors sent as a
   * string cost most of the CPU under a flood of requests for it, and each
   * client that stopped reading held a copy (test/load/hostile.test.ts). A
   * Buffer is encoded once, and sent from where it is.
   */
  readonly body: Buffer | string
  readonly validators: Validators
  readonly headers: Readonly<Record<string, string>>
  /** Its header block as node:http writes it, made with the representation (see `wire`). */
  readonly wire?: Wire
}

/**
 * The headers of one encoding as `writeHead` takes them, flat (name, value,
 * name, value…), so that a send copies no header object and Node goes
 * through no object's keys: `ok` for the answer with its body (its
 * Content-Length included), `notModified` for a 304 (no Content-Length:
 * RFC 9110 §8.6 allows one only when it is the 200's, which a 304 does not
 * need). Vary: Accept-Encoding when the representation has compressed forms.
 */
export interface Wire {
  readonly ok: readonly string[]
  readonly notModified: readonly string[]
}

/** The wire headers of `form`, one encoding of a representation that `varies` by Accept-Encoding or not. */
export function wire(form: Encoded, varies: boolean): Wire {
  const notModified: string[] = []
  for (const [name, value] of Object.entries(form.headers)) notModified.push(name, value)
  if (varies) notModified.push('vary', 'Accept-Encoding')
  return { ok: [...notModified, 'content-length', String(Buffer.byteLength(form.body))], notModified }
}

/** Bytes ready to send, with every header they go with (validators included). */
export interface Representation extends Encoded {
  readonly statusCode: number
  /** Absent on error statuses: nothing to validate. */
  readonly validators: Validators
  readonly conditional: boolean
  /**
   * Compressed forms, when the body is compressible and large enough: its
   * answers then say Vary: Accept-Encoding, and a client that takes a coding
   * held here gets it.
   */
  readonly encoded?: Readonly<Partial<Record<Encoding, Encoded>>>
  /** For the next Last-Modified (HTTP dates count seconds). */
  readonly lastModifiedMs: number | undefined
  /** Bytes held, for the caches' bounds. */
  readonly size: number
}

/** From this size on, a text body is kept as bytes, encoded once (see Encoded.body). */
export const LARGE_BODY_BYTES = 16 * 1024

/** A text body as it is best kept: a string when small, its UTF-8 bytes when large. */
export function keptBody(body: string | Buffer): string | Buffer {
  return typeof body === 'string' && body.length >= LARGE_BODY_BYTES / 3 && Buffer.byteLength(body) >= LARGE_BODY_BYTES
    ? Buffer.from(body)
    : body
}

/** Below this, compression saves too little to be worth a Vary and a second representation. */
export const COMPRESS_MIN_BYTES = 1024
const BROTLI_QUALITY = 5
/** Headers, object and key overhead of an entry, for byte bounds. */
const ENTRY_OVERHEAD_BYTES = 1024
/** The two flat header arrays of one encoding (Wire), measured at about 1 KB on the heap (30-36 slots). */
const WIRE_BYTES = 1024

/**
 * A strong ETag from the bytes alone: equal content, equal tag, on any
 * replica. crypto.hash is one call with no Hash object, whose native state
 * would otherwise wait for a garbage collection on every prepared badge.
 */
export function strongEtag(body: Buffer | string): string {
  return `"${hash('sha256', body, 'base64url').slice(0, 27)}"`
}

/**
 * Brotli at quality 5 and gzip at level 6. Quality 11 takes about 70 times
 * longer than 5 for some 13% less: too slow for content prepared while a
 * request waits.
 */
export function compress(body: Buffer | string, encoding: Encoding): Buffer {
  if (encoding === 'gzip') return gzipSync(body, { level: 6 })
  return brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  })
}

/** Headers of one encoding: the shared ones, its validators, its coding. */
export function encodedHeaders(
  base: Readonly<Record<string, string>>,
  validators: Validators,
  encoding?: Encoding,
): Record<string, string> {
  return {
    ...base,
    etag: validators.etag,
    ...(validators['last-modified'] !== undefined && { 'last-modified': validators['last-modified'] }),
    ...(encoding && { 'content-encoding': encoding }),
  }
}

/** Turns what a route prepared into a representation, content changed at `lastModifiedMs`. */
export function represent(prepared: Prepared, lastModifiedMs: number): Representation {
  const body = keptBody(prepared.body)
  const bytes = Buffer.byteLength(body)
  const statusCode = prepared.statusCode ?? 200
  const base = { ...prepared.headers, 'content-type': prepared.contentType, 'cache-control': prepared.cacheControl }
  if (statusCode >= 400) {
    const failure = { body, headers: base, validators: { etag: '' } }
    return {
      statusCode,
      ...failure,
      wire: wire(failure, false),
      conditional: false,
      lastModifiedMs: undefined,
      size: bytes + ENTRY_OVERHEAD_BYTES + WIRE_BYTES,
    }
  }
  const datable = prepared.datable ?? true
  const lastModified = datable ? new Date(lastModifiedMs).toUTCString() : undefined
  const validatorsOf = (content: Buffer | string): Validators => ({
    etag: strongEtag(content),
    ...(lastModified !== undefined && { 'last-modified': lastModified }),
  })
  const validators = validatorsOf(body)
  let encoded: Record<Encoding, Encoded> | undefined
  if (prepared.compressible && bytes >= COMPRESS_MIN_BYTES) {
    const br = compress(body, 'br')
    const gzip = compress(body, 'gzip')
    if (br.length < bytes && gzip.length < bytes) {
      const of = (compressed: Buffer, encoding: Encoding): Encoded => {
        const v = validatorsOf(compressed)
        const form = { body: compressed, validators: v, headers: encodedHeaders(base, v, encoding) }
        return { ...form, wire: wire(form, true) }
      }
      encoded = { br: of(br, 'br'), gzip: of(gzip, 'gzip') }
    }
  }
  const identity = { body, headers: encodedHeaders(base, validators), validators }
  return {
    statusCode,
    ...identity,
    wire: wire(identity, encoded !== undefined),
    conditional: true,
    lastModifiedMs: datable ? lastModifiedMs : undefined,
    ...(encoded && { encoded }),
    size:
      bytes +
      (encoded ? encoded.br.body.length + encoded.gzip.body.length + 2 * WIRE_BYTES : 0) +
      ENTRY_OVERHEAD_BYTES +
      WIRE_BYTES,
  }
}

/**
 * Bytes a cache keeps, in a buffer of their own: a Buffer body may be a
 * slice of Node's shared 8 KiB pool (so a kept 3 KB PNG pinned a whole
 * slab, 30 MB of them for an 8 MiB cache of PNGs), of zlib's output chunk, or
 * a native allocation of the rasteriser's with room to spare.
 */
function owned<T extends Buffer | string>(body: T): T {
  if (typeof body === 'string') return body
  // A large buffer that is all of its memory (a text body made by keptBody) owns it already: no second copy.
  if (body.length >= LARGE_BODY_BYTES && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength)
    return body
  const copy = Buffer.allocUnsafeSlow(body.length)
  copy.set(body)
  return copy as T
}

/** The representation as a cache keeps it for long: its Buffer bodies copied to their exact size. */
export function detached(rep: Representation): Representation {
  const encoded =
    rep.encoded &&
    Object.fromEntries(
      Object.entries(rep.encoded).map(([encoding, form]) => [encoding, { ...form, body: owned(form.body) }]),
    )
  return { ...rep, body: owned(rep.body), ...(encoded && { encoded }) }
}

/**
 * The next Last-Modified for content that changed at `asOf`: never before
 * the previous one, and a second after it at least, so that a client that
 * sends only If-Modified-Since sees two changes within one second.
 */
export function nextLastModified(asOf: number, previousMs: number | undefined): number {
  const second = Math.floor(asOf / 1000) * 1000
  return previousMs === undefined ? second : Math.max(second, previousMs + 1000)
}
