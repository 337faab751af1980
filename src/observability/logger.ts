import { pino, type DestinationStream, type Logger } from 'pino'
import type { Config } from '../config.js'

/**
 * Wherever headers could be logged (Fastify's request serializer logs none,
 * but an error or a debugging line might carry some), the key and any bearer
 * token are censored.
 */
export const REDACT_PATHS = [
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.*.headers.authorization',
  '*.*.headers["x-api-key"]',
]

export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'status-badge-proxy' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
}
