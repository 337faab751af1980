import type { IncomingHttpHeaders } from 'node:http'
import fresh from 'fresh'
import { parseHttpDate } from './http-date.js'

/** A representation's validators, in the shape `fresh` reads them. */
export interface Validators {
  readonly etag: string
  readonly 'last-modified'?: string
}

/**
 * Whether a GET/HEAD may be answered 304, by `fresh` (jshttp, 2.0.0):
 * If-None-Match decides alone when sent (RFC 9110 §13.2.2), compared weakly
 * and as a list, or "*"; else If-Modified-Since against Last-Modified; a
 * request that says `Cache-Control: no-cache` always gets the content.
 * One guard is ours: fresh 2.0.0 reads If-Modified-Since with Date.parse,
 * which takes "2999" for a date; RFC 9110 §13.1.3 says a value that is not a
 * valid HTTP-date is ignored, so such a header is dropped first.
 */
export function isNotModified(headers: IncomingHttpHeaders, validators: Validators): boolean {
  const ifModifiedSince = headers['if-modified-since']
  if (headers['if-none-match'] === undefined) {
    if (ifModifiedSince === undefined || parseHttpDate(ifModifiedSince) === undefined) return false
  }
  return fresh(headers, validators as unknown as Record<string, string>)
}
