import { describe, expect, it } from 'vitest'
import {
  badgeCacheControl,
  SHORT_MAX_AGE_SECONDS,
  shieldsCacheSeconds,
  shortCacheControl,
} from '../../src/badge/cache-policy.js'
import { loadConfig } from '../../src/config.js'

const policyFor = (env: Record<string, string>) => {
  const config = loadConfig({ MONITOR_API_KEY: 'k', ...env })
  return { maxAgeSeconds: config.badgeMaxAgeSeconds, staleIfErrorSeconds: config.staleIfErrorSeconds }
}

describe('badgeCacheControl', () => {
  it('caches a badge for BADGE_MAX_AGE_SECONDS in browsers and CDNs, stale while revalidating or on error', () => {
    expect(badgeCacheControl(policyFor({}))).toBe(
      'public, max-age=60, s-maxage=60, stale-while-revalidate=60, stale-if-error=1800',
    )
    expect(badgeCacheControl(policyFor({ BADGE_MAX_AGE_SECONDS: '120', STALE_IF_ERROR_SECONDS: '600' }))).toBe(
      'public, max-age=120, s-maxage=120, stale-while-revalidate=120, stale-if-error=600',
    )
  })

  it('never caches a badge longer than the TTL', () => {
    expect(badgeCacheControl(policyFor({ BADGE_MAX_AGE_SECONDS: '600', CACHE_TTL_SECONDS: '30' }))).toMatch(
      /^public, max-age=30, s-maxage=30,/,
    )
  })
})

describe('shortCacheControl', () => {
  it('gives unknown and error badges at most 10 s, so no cache pins them', () => {
    expect(shortCacheControl(policyFor({}))).toBe(
      `public, max-age=${SHORT_MAX_AGE_SECONDS}, s-maxage=${SHORT_MAX_AGE_SECONDS}`,
    )
    expect(SHORT_MAX_AGE_SECONDS).toBeLessThanOrEqual(10)
  })

  it('never lets an error outlive a good badge', () => {
    expect(shortCacheControl(policyFor({ BADGE_MAX_AGE_SECONDS: '2' }))).toBe('public, max-age=2, s-maxage=2')
    expect(shortCacheControl(policyFor({ BADGE_MAX_AGE_SECONDS: '0' }))).toBe('public, max-age=0, s-maxage=0')
  })
})

describe('shieldsCacheSeconds', () => {
  it('is never under shields.io minimum of 300', () => {
    expect(shieldsCacheSeconds(true, policyFor({}))).toBe(300)
    expect(shieldsCacheSeconds(false, policyFor({}))).toBe(300)
    expect(shieldsCacheSeconds(true, policyFor({ BADGE_MAX_AGE_SECONDS: '900', CACHE_TTL_SECONDS: '900' }))).toBe(900)
  })
})
