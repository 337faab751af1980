import { pino, type DestinationStream, type Logger } from 'pino'
import type { Config } from '../config.js'

/**
 * Wherever headers could be logged (Fastify's request serializer logs none,
 * but an error or a debugging line might carry some), the key and any
 * token are censored.
 */
export const REDACT_PATHS = [
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-webhook-token"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["x-webhook-token"]',
  '*.*.headers.authorization',
  '*.*.headers["x-api-key"]',
  '*.*.headers["x-webhook-token"]',
]

const REDACTED = '[redacted]'

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '))
  } catch {
    return name
  }
}

/**
 * A URL fit for a log line: the value of every `token` query parameter
 * (the webhook's, as the vendor's dashboard sends it) cut out, however its
 * name is spelt (`%74oken` is `token` to the query parser too).
 */
export function maskUrl(url: string): string {
  const start = url.indexOf('?')
  if (start === -1) return url
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0] ?? ''
      return decodedName(name).trim().toLowerCase() === 'token' ? `${name}=${REDACTED}` : pair
    })
  return `${url.slice(0, start)}?${query.join('&')}`
}

interface LoggedRequest {
  readonly method?: string
  readonly url?: string
  readonly host?: string
  readonly ip?: string
  readonly headers?: Readonly<Record<string, unknown>>
  readonly socket?: { readonly remotePort?: number } | null
}

/** Fastify's own request serializer (lib/logger-pino.js), with the URL masked. */
function serializeRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : maskUrl(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}

export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      // Whatever logs a request object (an error line, say) goes through this, the URL masked.
      serializers: { req: serializeRequest },
      base: { service: 'status-badge-proxy' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
}
