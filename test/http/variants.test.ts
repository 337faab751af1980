import { describe, expect, it, vi } from 'vitest'
import { detached, LARGE_BODY_BYTES, strongEtag, type Prepared } from '../../src/http/prepared.js'
import { createAdmission, createDoorkeeper, createVariantCache } from '../../src/http/variants.js'

const prepared = (body: string): Prepared => ({
  body,
  contentType: 'text/plain',
  cacheControl: 'public, max-age=60',
  headers: { 'x-content-type-options': 'nosniff' },
})
const t = (s: number) => Date.parse('2026-11-26T12:00:00Z') + s * 1000
const cache = () => createVariantCache({ maxBytes: 1024 * 1024 })

describe('createVariantCache', () => {
  it('answers a variant from its entry while the generation holds, and prepares nothing', () => {
    const variants = cache()
    const prepare = vi.fn(() => prepared('operational'))
    expect(variants.get('badge.svg', 1)).toBeUndefined()
    const first = variants.put('badge.svg', 1, 'operational', t(0), prepare)
    expect(variants.get('badge.svg', 1)).toBe(first)
    expect(variants.get('badge.svg', 2)).toBeUndefined()
    expect(prepare).toHaveBeenCalledTimes(1)
    expect(variants.stats()).toMatchObject({ hits: 1, prepared: 1, confirmed: 0 })
    expect(first.headers).toEqual({
      'x-content-type-options': 'nosniff',
      'content-type': 'text/plain',
      'cache-control': 'public, max-age=60',
      etag: first.validators.etag,
      'last-modified': 'Thu, 26 Nov 2026 12:00:00 GMT',
    })
  })

  it('keeps the representation, ETag and date alike, when a new generation has the same content', () => {
    const variants = cache()
    const first = variants.put('v', 1, 'up', t(0), () => prepared('up'))
    const prepare = vi.fn(() => prepared('up'))
    const later = variants.put('v', 2, 'up', t(300), prepare)
    expect(later).toBe(first)
    expect(prepare).not.toHaveBeenCalled()
    expect(variants.get('v', 2)).toBe(first)
    expect(variants.stats()).toMatchObject({ prepared: 1, confirmed: 1 })
  })

  it('derives a strong ETag from the content alone', () => {
    const a = cache().put('v', 1, 'k1', 0, () => prepared('same'))
    const b = cache().put('w', 7, 'k2', 99_000, () => prepared('same'))
    expect(a.validators.etag).toBe(b.validators.etag)
    expect(a.validators.etag).toMatch(/^"[\w-]{27}"$/)
    expect(strongEtag('other')).not.toBe(a.validators.etag)
  })

  it('moves Last-Modified when the content changes, to when the change took effect, a second at least', () => {
    const variants = cache()
    variants.put('v', 1, 'up', t(0), () => prepared('up'))
    expect(variants.put('v', 2, 'down', t(600.4), () => prepared('down')).validators['last-modified']).toBe(
      'Thu, 26 Nov 2026 12:10:00 GMT',
    )
    expect(variants.put('v', 3, 'up', t(600.6), () => prepared('up')).lastModifiedMs).toBe(t(601))
  })

  it('gives error statuses no validators, and undatable content no Last-Modified', () => {
    const variants = cache()
    const error = variants.put('e', 0, 'e', 0, () => ({ ...prepared('{"error":"not found"}'), statusCode: 404 }))
    expect(error.conditional).toBe(false)
    expect(error.headers.etag).toBeUndefined()
    expect(error.headers['last-modified']).toBeUndefined()
    const undated = variants.put('u', 0, 'u', t(5), () => ({ ...prepared('not found'), datable: false }))
    expect(undated.headers.etag).toMatch(/^"/)
    expect(undated.headers['last-modified']).toBeUndefined()
  })

  it('compresses a large compressible body once, each encoding with its own ETag', () => {
    const rep = cache().put('c', 1, 'c', 0, () => ({ ...prepared('{"x":1}'.repeat(400)), compressible: true }))
    expect(rep.encoded?.br?.body.length).toBeLessThan(rep.body.length)
    expect(rep.encoded?.gzip?.headers['content-encoding']).toBe('gzip')
    expect(
      new Set([rep.validators.etag, rep.encoded?.br?.validators.etag, rep.encoded?.gzip?.validators.etag]).size,
    ).toBe(3)
    expect(cache().put('s', 1, 's', 0, () => ({ ...prepared('small'), compressible: true })).encoded).toBeUndefined()
  })

  it('keeps a Buffer body in a buffer of its own size (not a slice of a larger one), the same bytes', () => {
    const variants = cache()
    // Buffer.from(<small>) is a slice of Node's shared 8 KiB pool: kept as it is, it would pin the whole slab.
    const pooled = Buffer.from('a small PNG, say')
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length)
    const kept = variants.put('p', 1, 'p', 0, () => ({ ...prepared(''), body: pooled }))
    expect(Buffer.isBuffer(kept.body)).toBe(true)
    const body = kept.body as Buffer
    expect(body.equals(pooled)).toBe(true)
    expect(body.buffer).not.toBe(pooled.buffer)
    expect(body.buffer.byteLength).toBe(body.length)
    expect(variants.get('p', 1)).toBe(kept)
    expect(kept.validators.etag).toBe(strongEtag(pooled))
  })

  it('keeps a large text body, already bytes of its own, without copying it again', () => {
    const variants = cache()
    const kept = variants.put('d', 1, 'd', 0, () => prepared('x'.repeat(LARGE_BODY_BYTES)))
    const body = kept.body as Buffer
    expect(Buffer.isBuffer(body)).toBe(true)
    expect(body.buffer.byteLength).toBe(body.length)
    // Kept as the one buffer represent() made: detaching it again copies nothing.
    expect(detached(kept).body).toBe(body)
  })

  it('sends a variant it does not keep as it was made, without a copy', () => {
    const variants = createVariantCache({ maxBytes: 1024 * 1024, admission: { admit: () => false } })
    const made = Buffer.from('one-off')
    const rep = variants.put('q', 1, 'q', 0, () => ({ ...prepared(''), body: made }), true)
    expect(rep.body).toBe(made)
    expect(variants.get('q', 1)).toBeUndefined()
    expect(variants.stats().passed).toBe(1)
  })

  it('stays within its byte bound whatever the variety of requests', () => {
    const variants = createVariantCache({ maxBytes: 64 * 1024 })
    for (let i = 0; i < 10_000; i++) variants.put(`v${i}`, 1, 'k', 0, () => prepared('x'.repeat(1_000)))
    const { entries, bytes, prepared: made } = variants.stats()
    expect(bytes).toBeLessThanOrEqual(64 * 1024)
    expect(entries).toBeLessThanOrEqual(Math.floor((64 * 1024) / 1_000))
    expect(entries).toBeGreaterThan(0)
    expect(made).toBe(10_000)
  })
})

describe('createDoorkeeper', () => {
  it('says a key was seen from its second time on, for any key', () => {
    const doorkeeper = createDoorkeeper()
    for (let i = 0; i < 2_000; i++) {
      const key = `/badge.svg\n?label=${i}-${'x'.repeat(i % 50)}`
      expect(doorkeeper.seen(key), key).toBe(false)
      expect(doorkeeper.seen(key), key).toBe(true)
    }
  })
})

describe('createAdmission', () => {
  it('admits a key asked for before, at most so many a second', () => {
    let now = 0
    const admission = createAdmission(3, () => now)
    const admitted = (key: string) => admission.admit(key) || admission.admit(key)
    expect(['a', 'b', 'c', 'd'].map(admitted)).toEqual([true, true, true, false])
    now += 1000 / 3
    expect(admitted('e')).toBe(true)
    expect(admitted('f')).toBe(false)
    now += 10_000
    expect(['g', 'h', 'i', 'j'].map(admitted)).toEqual([true, true, true, false])
  })

  it('keeps no entry for a key asked for once, so a flood of new keys leaves the cache as it was', () => {
    const variants = createVariantCache({ maxBytes: 1024 * 1024, admission: createAdmission(1000) })
    for (let i = 0; i < 500; i++) variants.put(`v${i}`, 1, 'k', 0, () => prepared('x'), true)
    expect(variants.stats()).toMatchObject({ entries: 0, passed: 500, prepared: 500 })
    variants.put('v1', 1, 'k', 0, () => prepared('x'), true)
    expect(variants.get('v1', 1)).toBeDefined()
    // A key no client chose (a route's plain badge) is kept from the first request.
    variants.put('plain', 1, 'k', 0, () => prepared('x'))
    expect(variants.get('plain', 1)).toBeDefined()
  })
})
