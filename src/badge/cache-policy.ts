/**
 * Cache-Control values, as pure functions of configuration and outcome
 * (shields' habit). A badge worth showing is cached for M seconds by browsers
 * and CDNs alike; one that says "unknown" or reports an error lives only a
 * few seconds, so no cache (GitHub's camo included) pins it.
 */
export const SHORT_MAX_AGE_SECONDS = 5
export const NO_STORE = 'no-store'

export interface CachePolicyOptions {
  /** BADGE_MAX_AGE_SECONDS, already clamped to the TTL. */
  readonly maxAgeSeconds: number
  readonly staleIfErrorSeconds: number
}

export function badgeCacheControl({ maxAgeSeconds: m, staleIfErrorSeconds }: CachePolicyOptions): string {
  return `public, max-age=${m}, s-maxage=${m}, stale-while-revalidate=${m}, stale-if-error=${staleIfErrorSeconds}`
}

/** Never longer than a good badge's own lifetime (BADGE_MAX_AGE_SECONDS may be under 5). */
export function shortCacheControl({ maxAgeSeconds }: CachePolicyOptions): string {
  const s = Math.min(SHORT_MAX_AGE_SECONDS, maxAgeSeconds)
  return `public, max-age=${s}, s-maxage=${s}`
}

/** shields.io's endpoint badge refuses cacheSeconds under 300. */
export const SHIELDS_MIN_CACHE_SECONDS = 300

export function shieldsCacheSeconds(known: boolean, { maxAgeSeconds }: CachePolicyOptions): number {
  return known ? Math.max(SHIELDS_MIN_CACHE_SECONDS, maxAgeSeconds) : SHIELDS_MIN_CACHE_SECONDS
}
