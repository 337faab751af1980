import type { IncomingHttpHeaders } from 'node:http'
import { parseHttpDate } from './http-date.js'

/** The opaque part of an entity tag, for the weak comparison of RFC 9110 §8.8.3.2. */
function opaqueTag(tag: string): string {
  const trimmed = tag.trim()
  return trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed
}

/**
 * Whether a GET/HEAD may be answered 304 (RFC 9110 §13.1.2, §13.1.3).
 * If-None-Match, when present, decides alone (§13.2.2): a list compared
 * weakly, or "*". Otherwise If-Modified-Since against Last-Modified, both to
 * the second. `fresh` (jshttp) would also need both to pass, so this is ours.
 */
export function isNotModified(headers: IncomingHttpHeaders, etag: string, lastModifiedMs: number): boolean {
  const ifNoneMatch = headers['if-none-match']
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true
    const current = opaqueTag(etag)
    return ifNoneMatch.split(',').some((tag) => opaqueTag(tag) === current)
  }
  const ifModifiedSince = headers['if-modified-since']
  if (ifModifiedSince === undefined) return false
  const since = parseHttpDate(ifModifiedSince)
  return since !== undefined && Math.floor(lastModifiedMs / 1000) * 1000 <= since
}
