import { describe, expect, it, vi } from 'vitest'
import { createRepresentationCache, strongEtag } from '../../src/http/representation.js'

const prepared = (body: string) => ({ body, contentType: 'text/plain', cacheControl: 'public, max-age=60' })

describe('createRepresentationCache', () => {
  it('prepares a state once and serves the same bytes after', () => {
    const cache = createRepresentationCache()
    const prepare = vi.fn(() => prepared('operational'))
    const first = cache.serve('badge.svg', 'operational', 1_000, prepare)
    const again = cache.serve('badge.svg', 'operational', 2_000, prepare)
    expect(prepare).toHaveBeenCalledTimes(1)
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 })
    expect(again.representation).toBe(first.representation)
    expect(first.representation.headers).toEqual({
      'content-type': 'text/plain',
      'cache-control': 'public, max-age=60',
    })
  })

  it('derives a strong ETag from the content alone', () => {
    const a = createRepresentationCache().serve('v', 'k1', 0, () => prepared('same'))
    const b = createRepresentationCache().serve('v', 'k2', 99_000, () => prepared('same'))
    expect(a.representation.etag).toBe(b.representation.etag)
    expect(a.representation.etag).toMatch(/^"[\w-]{27}"$/)
    expect(strongEtag(Buffer.from('other'))).not.toBe(a.representation.etag)
  })

  it('moves Last-Modified only when the bytes change, to when the change took effect', () => {
    const cache = createRepresentationCache()
    const t = (s: number) => Date.parse('2026-11-26T12:00:00Z') + s * 1000
    expect(cache.serve('v', 'up', t(0), () => prepared('up')).lastModified).toBe('Thu, 26 Nov 2026 12:00:00 GMT')
    // A new state with the same bytes (a later poll, same status): unchanged.
    expect(cache.serve('v', 'up-later', t(300), () => prepared('up')).lastModifiedMs).toBe(t(0))
    // Different bytes.
    expect(cache.serve('v', 'down', t(600.4), () => prepared('down')).lastModified).toBe(
      'Thu, 26 Nov 2026 12:10:00 GMT',
    )
    // Back to a state prepared before: its bytes differ from the last served, so it moves again.
    expect(cache.serve('v', 'up', t(900), () => prepared('up')).lastModifiedMs).toBe(t(900))
  })

  it('moves Last-Modified by at least a second on each change, as HTTP dates count seconds', () => {
    const cache = createRepresentationCache()
    const t = Date.parse('2026-11-26T12:00:00Z')
    const first = cache.serve('v', 'unknown', t + 100, () => prepared('unknown'))
    const second = cache.serve('v', 'up', t + 400, () => prepared('up'))
    expect(second.lastModifiedMs).toBe(first.lastModifiedMs + 1000)
  })

  it('keeps variants apart', () => {
    const cache = createRepresentationCache()
    cache.serve('a', 'k', 1_000, () => prepared('x'))
    expect(cache.serve('b', 'k', 5_000, () => prepared('y')).representation.body.toString()).toBe('y')
  })

  it('stays within its byte bound whatever the variety of requests', () => {
    const cache = createRepresentationCache({ maxBytes: 64 * 1024 })
    for (let i = 0; i < 10_000; i++) cache.serve(`v${i}`, 'k', 0, () => prepared('x'.repeat(1_000)))
    const { entries, bytes, misses } = cache.stats()
    expect(bytes).toBeLessThanOrEqual(64 * 1024)
    expect(entries).toBeLessThanOrEqual(Math.floor((64 * 1024) / 1_000))
    expect(entries).toBeGreaterThan(0)
    expect(misses).toBe(10_000)
  })
})
