import { createHash } from 'node:crypto'
import type { Secret } from '../config/secret.js'
import { UpstreamInvalidResponseError, UpstreamUnavailableError } from './errors.js'
import { get, GetError, type UpstreamResponse } from './http.js'
import { createPayloadReader, header } from './response.js'
import type { MonitorsData, StatusData } from './schema.js'
import { createUntrusted } from './untrusted.js'

export const MAX_BODY_BYTES = 1024 * 1024

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

/**
 * The Server Monitor API, read-only. The only module that holds the key: it
 * goes out in the X-API-Key header and nowhere else. Everything the upstream
 * sends back is read by ./response.ts through ./untrusted.ts, which knows
 * the key only to cut it out of names and log lines.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const key = options.apiKey.reveal()
  const untrusted = createUntrusted(key)
  const read = createPayloadReader(untrusted, options.now ?? Date.now)
  const headers = {
    accept: 'application/json',
    'user-agent': options.userAgent,
    'x-api-key': key,
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
      // The message may quote the upstream (a content coding it named).
      const message = untrusted.logText(err.message)
      if (err.kind === 'too-large' || err.kind === 'undecodable') {
        throw new UpstreamInvalidResponseError(message, err.status)
      }
      throw new UpstreamUnavailableError(message, err.status)
    }
  }

  return {
    fetchStatus: async (signal) => read.status(await send('/status', signal)),
    fetchMonitors: async (signal) => read.monitors(await send('/monitors', signal)),
  }
}

function wholeNumber(value: string | null): number | undefined {
  const text = value?.trim()
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined
}

/**
 * Names the account a fleet polls for, without the key: a SHA-256 of the
 * upstream URL and the key (domain-separated, 96 bits in hex). Replicas with
 * the same URL and key share one poll through Redis; fleets of other keys or
 * upstreams sharing that Redis get other names, so never each other's data.
 * A hash of a random API key reveals nothing usable of it.
 */
export function accountFingerprint(baseUrl: string, apiKey: Secret): string {
  return createHash('sha256')
    .update(`status-badge-proxy fleet\n${baseUrl}\n${apiKey.reveal()}`)
    .digest('hex')
    .slice(0, 24)
}
