import type { ValidateFunction } from 'ajv'
import type { Secret } from '../config/secret.js'
import { looksLikeJson, readLimitedText } from './body.js'
import {
  UpstreamError,
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from './errors.js'
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
  /** For tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch
  readonly now?: () => number
}

export interface UpstreamClient {
  fetchStatus(signal?: AbortSignal): Promise<StatusData>
  fetchMonitors(signal?: AbortSignal): Promise<MonitorsData>
}

/**
 * The Server Monitor API, read-only. The only module that holds the key: it
 * goes out in the X-API-Key header and nowhere else; any text the upstream
 * sends back is scrubbed of it before it can reach a log line.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const fetchImpl = options.fetch ?? fetch
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

  async function send(resource: string, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(options.timeoutMs)
    try {
      return await fetchImpl(`${options.baseUrl}${resource}`, {
        headers,
        // A redirect would carry X-API-Key to wherever it points.
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      })
    } catch (err) {
      if (timeout.aborted) throw new UpstreamUnavailableError(`no answer within ${options.timeoutMs} ms`)
      if (signal?.aborted) throw new UpstreamUnavailableError('request aborted')
      throw new UpstreamUnavailableError(`request failed: ${networkCause(err)}`)
    }
  }

  async function failureFor(response: Response): Promise<UpstreamError> {
    const { status } = response
    const detail = await errorDetail(response)
    const said = detail ? `: ${detail}` : ''
    if (status === 401 || status === 403) {
      return new UpstreamUnauthorizedError(`answered ${status}, the key was refused${said}`, status)
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now())
      return new UpstreamRateLimitedError(`answered 429${said}`, status, retryAfterMs)
    }
    if (status >= 300 && status < 400) {
      const location = scrub(safeLocation(response.headers.get('location')))
      return new UpstreamUnavailableError(
        `answered ${status}, a redirect to ${location}: set MONITOR_API_URL to the final address`,
        status,
      )
    }
    return new UpstreamUnavailableError(`answered ${status}${said}`, status)
  }

  /** The `error` string of a JSON error envelope, if the body is one. */
  async function errorDetail(response: Response): Promise<string | undefined> {
    try {
      const text = await readLimitedText(response, MAX_BODY_BYTES)
      if (!looksLikeJson(response.headers.get('content-type'), text)) return undefined
      const body: unknown = JSON.parse(text)
      return isErrorEnvelope(body) ? scrub(body.error) : undefined
    } catch {
      return undefined
    }
  }

  /** A 2xx JSON body in the success envelope, its shape checked by `envelope`. */
  async function getData<T>(resource: string, envelope: ValidateFunction<T>, signal?: AbortSignal): Promise<T> {
    const response = await send(resource, signal)
    if (response.status < 200 || response.status > 299) throw await failureFor(response)

    let text: string
    try {
      text = await readLimitedText(response, MAX_BODY_BYTES)
    } catch (err) {
      if (err instanceof UpstreamError) throw err
      throw new UpstreamUnavailableError(`body interrupted: ${networkCause(err)}`, response.status)
    }
    const contentType = response.headers.get('content-type')
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

/** The system error code (ECONNREFUSED, ECONNRESET…) behind a fetch failure. */
function networkCause(err: unknown): string {
  let current: unknown = err
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code
    if (typeof code === 'string') return code
    current = current.cause
  }
  return err instanceof Error ? err.message : 'unknown error'
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
