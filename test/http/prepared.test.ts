import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { keptBody, LARGE_BODY_BYTES, represent, strongEtag, type Prepared } from '../../src/http/prepared.js'

const json = (body: string): Prepared => ({
  body,
  contentType: 'application/json',
  cacheControl: 'public, max-age=60',
  headers: {},
  compressible: true,
})

/** A JSON text of about `bytes` bytes, with characters of two and three bytes in UTF-8. */
const document = (bytes: number) => {
  const item = '{"name":"Zürich — 東京","status":"up"},'
  return `[${item.repeat(Math.ceil(bytes / Buffer.byteLength(item)))}{}]`
}

describe('represent', () => {
  it('keeps a small text as a string, and a large one as its UTF-8 bytes, encoded once', () => {
    const small = represent(json(document(2_000)), 0)
    expect(typeof small.body).toBe('string')
    const text = document(LARGE_BODY_BYTES)
    const large = represent(json(text), 0)
    expect(Buffer.isBuffer(large.body)).toBe(true)
    expect(large.body.toString()).toBe(text)
    expect(large.size).toBeGreaterThanOrEqual(Buffer.byteLength(text))
    // The compressed forms hold the same bytes.
    expect(gunzipSync(large.encoded?.gzip?.body ?? Buffer.alloc(0)).toString()).toBe(text)
  })

  it('gives the same ETag to the same text, whether kept as a string or as bytes', () => {
    const text = document(LARGE_BODY_BYTES * 2)
    expect(represent(json(text), 0).validators.etag).toBe(strongEtag(text))
    expect(represent(json(text), 0).validators.etag).toBe(
      represent({ ...json(text), body: Buffer.from(text) }, 0).validators.etag,
    )
  })

  it('counts bytes, not characters, against the threshold', () => {
    // Fewer characters than the threshold, more bytes: three bytes each.
    const wide = '東'.repeat(Math.ceil(LARGE_BODY_BYTES / 3))
    expect(wide.length).toBeLessThan(LARGE_BODY_BYTES)
    expect(Buffer.isBuffer(keptBody(wide))).toBe(true)
    const narrow = 'a'.repeat(LARGE_BODY_BYTES - 1)
    expect(keptBody(narrow)).toBe(narrow)
    const bytes = Buffer.from('x')
    expect(keptBody(bytes)).toBe(bytes)
  })
})
