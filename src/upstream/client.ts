import type { ValidateFunction } from 'ajv'
import type { Secret } from '../config/secret.js'
import { looksLikeJson } from './body.js'
import {
  UpstreamError,
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from './errors.js'
import { get, GetError, type UpstreamResponse } from './http.js'
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

export const MAX_BODY_BYTES = 1024 * 1024
const MAX_DETAIL_CHARS = 200

export interface UpstreamClientOptions {
  readonly baseUrl: string
  readonly apiKey: Secret
  readonly timeoutMs: number
  readonly userAgent: string
  readonly now?: () => number
  /** Told of every answer's X-RateLimit-Remaining: a count, or undefined when absent or unreadable. */
  readonly rateLimitRemaining?: (remaining: number | undefined, resource: string) => void
}

export interface UpstreamClient {
  fetchStatus(signal?: AbortSignal): Promise<StatusData>
  fetchMonitors(signal?: AbortSignal): Promise<MonitorsData>
}

const header = (response: UpstreamResponse, name: string): string | null => {
  const value = response.headers[name]
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null)
}

/**
 * The Server Monitor API, read-only. The only module that holds the key: it
 * goes out in the X-API-Key header and nowhere else; any text the upstream
 * sends back is scrubbed of it before it can reach a log line.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const now = options.now ?? Date.now
  const key = options.apiKey.reveal()
  const headers = {
    accept: 'application/json',
    'user-agent': options.userAgent,
    'x-api-key': key,
  }

  const keyForms = [...new Set([key, encodeURIComponent(key)])]

  /** Upstream text fit for a log line: the key in any form cut out, printable, short. */
  function scrub(value: unknown): string {
    let text = typeof value === 'string' ? value : JSON.stringify(value ?? null)
    for (const form of keyForms) text = text.replaceAll(form, '[redacted]')
    return text.replace(/[^\x20-\x7e]+/g, ' ').slice(0, MAX_DETAIL_CHARS)
  }

  async function send(resource: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    try {
      const response = await get(new URL(`${options.baseUrl}${resource}`), {
        headers,
        timeoutMs: options.timeoutMs,
        maxBytes: MAX_BODY_BYTES,
        ...(signal && { signal }),
      })
      options.rateLimitRemaining?.(wholeNumber(header(response, 'x-ratelimit-remaining')), resource)
      return response
    } catch (err) {
      if (!(err instanceof GetError)) throw err
      if (err.kind === 'too-large' || err.kind === 'undecodable') {
        throw new UpstreamInvalidResponseError(err.message, err.status)
      }
      throw new UpstreamUnavailableError(err.message, err.status)
    }
  }

  function failureFor(response: UpstreamResponse): UpstreamError {
    const { status } = response
    const detail = errorDetail(response)
    const said = detail ? `: ${detail}` : ''
    if (status === 401 || status === 403) {
      return new UpstreamUnauthorizedError(`answered ${status}, the key was refused${said}`, status)
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), now())
      return new UpstreamRateLimitedError(`answered 429${said}`, status, retryAfterMs)
    }
    if (status >= 300 && status < 400) {
      const location = scrub(safeLocation(header(response, 'location')))
      return new UpstreamUnavailableError(
        `answered ${status}, a redirect to ${location}: set MONITOR_API_URL to the final address`,
        status,
      )
    }
    return new UpstreamUnavailableError(`answered ${status}${said}`, status)
  }

  /** The `error` string of a JSON error envelope, if the body is one. */
  function errorDetail(response: UpstreamResponse): string | undefined {
    try {
      const text = response.body.toString('utf8')
      if (!looksLikeJson(header(response, 'content-type'), text)) return undefined
      const body: unknown = JSON.parse(text)
      return isErrorEnvelope(body) ? scrub(body.error) : undefined
    } catch {
      return undefined
    }
  }

  /** A 2xx JSON body in the success envelope, its shape checked by `envelope`. */
  async function getData<T>(resource: string, envelope: ValidateFunction<T>, signal?: AbortSignal): Promise<T> {
    const response = await send(resource, signal)
    if (response.status < 200 || response.status > 299) throw failureFor(response)

    const text = response.body.toString('utf8')
    const contentType = header(response, 'content-type')
    if (!looksLikeJson(contentType, text)) {
      throw new UpstreamInvalidResponseError(
        `expected JSON, got ${scrub(contentType ?? 'no content type')}`,
        response.status,
      )
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new UpstreamInvalidResponseError('malformed JSON', response.status)
    }
    if (!envelope(body)) {
      const detail =
        isErrorEnvelope(body) && body.success === false
          ? `reported an error: ${scrub(body.error)}`
          : `unexpected shape at ${shapeProblem(envelope)}`
      throw new UpstreamInvalidResponseError(detail, response.status)
    }
    return body
  }

  return {
    fetchStatus: async (signal) => readStatus((await getData('/status', isStatusEnvelope, signal)).data),
    fetchMonitors: async (signal) =>
      readMonitors((await getData('/monitors', isMonitorsEnvelope, signal)).data.monitors),
  }
}

function wholeNumber(value: string | null): number | undefined {
  const text = value?.trim()
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined
}

function safeLocation(location: string | null): string {
  if (location === null) return '(no location)'
  try {
    const url = new URL(location, 'http://relative.invalid')
    return url.host === 'relative.invalid' ? url.pathname : `${url.origin}${url.pathname}`
  } catch {
    return '(unreadable location)'
  }
}
