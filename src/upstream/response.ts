import type { ValidateFunction } from 'ajv'
import { bodyText, looksLikeJson, MAX_JSON_DEPTH, nestsDeeperThan } from './body.js'
import {
  UpstreamError,
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from './errors.js'
import type { UpstreamResponse } from './http.js'
import { parseRetryAfter } from './retry-after.js'
import {
  isErrorEnvelope,
  isMonitorsEnvelope,
  isStatusEnvelope,
  readMonitors,
  readStatus,
  shapeProblem,
  type MonitorsData,
  type StatusData,
} from './schema.js'
import type { Untrusted } from './untrusted.js'

export interface PayloadReader {
  /** GET /status's answer as the status model reads it, or the named error it amounts to. */
  status(response: UpstreamResponse): StatusData
  /** GET /monitors's answer, its names made fit for responses, or the named error. */
  monitors(response: UpstreamResponse): MonitorsData
}

/** A response header's first value, or null. */
export const header = (response: UpstreamResponse, name: string): string | null => {
  const value = response.headers[name]
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null)
}

/**
 * Answers of the upstream → data or one of the named errors, whatever the
 * bytes (shields' three steps: status, parse, schema). Pure: no network, no
 * key; every text the upstream chose goes through `untrusted` before it can
 * reach a log line (error details) or a response (names).
 */
export function createPayloadReader(untrusted: Untrusted, now: () => number): PayloadReader {
  /** JSON, when the body is JSON of a sane depth; undefined otherwise. */
  function parsed(response: UpstreamResponse): { value: unknown } | 'not-json' | 'malformed' | 'too-deep' {
    const text = bodyText(response.body)
    if (!looksLikeJson(header(response, 'content-type'), text)) return 'not-json'
    // Checked before parsing: a structure half a million levels deep is never built.
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return 'too-deep'
    try {
      return { value: JSON.parse(text) as unknown }
    } catch {
      return 'malformed'
    }
  }

  function failure(response: UpstreamResponse): UpstreamError {
    const { status } = response
    const body = parsed(response)
    const detail = typeof body === 'object' && isErrorEnvelope(body.value) ? untrusted.logText(body.value.error) : ''
    const said = detail ? `: ${detail}` : ''
    if (status === 401 || status === 403) {
      return new UpstreamUnauthorizedError(`answered ${status}, the key was refused${said}`, status)
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), now())
      return new UpstreamRateLimitedError(`answered 429${said}`, status, retryAfterMs)
    }
    if (status >= 300 && status < 400) {
      const location = safeLocation(header(response, 'location'), untrusted)
      return new UpstreamUnavailableError(
        `answered ${status}, a redirect to ${location}: set MONITOR_API_URL to the final address`,
        status,
      )
    }
    return new UpstreamUnavailableError(`answered ${status}${said}`, status)
  }

  /** A 2xx JSON body in the success envelope, its shape checked by `envelope`. */
  function data<T>(response: UpstreamResponse, envelope: ValidateFunction<T>): T {
    if (response.status < 200 || response.status > 299) throw failure(response)
    const body = parsed(response)
    switch (body) {
      case 'not-json':
        throw new UpstreamInvalidResponseError(
          `expected JSON, got ${untrusted.logText(header(response, 'content-type') ?? 'no content type')}`,
          response.status,
        )
      case 'too-deep':
        throw new UpstreamInvalidResponseError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, response.status)
      case 'malformed':
        throw new UpstreamInvalidResponseError('malformed JSON', response.status)
    }
    if (!envelope(body.value)) {
      const detail =
        isErrorEnvelope(body.value) && body.value.success === false
          ? `reported an error: ${untrusted.logText(body.value.error)}`
          : `unexpected shape at ${untrusted.logText(shapeProblem(envelope))}`
      throw new UpstreamInvalidResponseError(detail, response.status)
    }
    return body.value
  }

  return {
    status: (response) => readStatus(data(response, isStatusEnvelope).data, untrusted),
    monitors: (response) => readMonitors(data(response, isMonitorsEnvelope).data.monitors, untrusted),
  }
}

/**
 * Where a redirect pointed, for the log line: origin and path only (a query
 * may carry anything). The key is cut out before the URL is parsed (which
 * lowercases the host and percent-encodes the path) and once more after.
 */
function safeLocation(location: string | null, untrusted: Untrusted): string {
  if (location === null) return '(no location)'
  try {
    const url = new URL(untrusted.logText(location), 'http://relative.invalid')
    return untrusted.logText(url.host === 'relative.invalid' ? url.pathname : `${url.origin}${url.pathname}`)
  } catch {
    return '(unreadable location)'
  }
}
