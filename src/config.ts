import { z } from 'zod'
import { corsOrigins, httpUrl, integer, publicComponents, trustProxy, type PublicComponents } from './config-fields.js'
import { Secret } from './secret.js'

export const DEFAULT_API_URL = 'https://faciotech.com/modules/addons/faciotech_monitor/api.php'
/** The vendor's documented budget per key: about 1000 requests an hour. */
export const UPSTREAM_HOURLY_LIMIT = 1000
/** Each poll reads GET /status and GET /monitors. */
export const CALLS_PER_POLL = 2
const MIN_TOKEN_LENGTH = 16

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export interface Config {
  readonly apiKey: Secret
  /** Base URL without a trailing slash; resources are paths after it. */
  readonly apiUrl: string
  readonly port: number
  readonly host: string
  readonly cacheTtlSeconds: number
  readonly staleIfErrorSeconds: number
  readonly upstreamTimeoutMs: number
  readonly badgeLabel: string
  readonly badgeMaxAgeSeconds: number
  readonly logLevel: (typeof LOG_LEVELS)[number]
  readonly shutdownDrainSeconds: number
  /** Which monitors have public badges: "*" for all, else these ids. */
  readonly publicComponents: PublicComponents
  /** The service's public address, for the landing page's snippets; no trailing slash. */
  readonly publicUrl: string | undefined
  /** Fastify's trustProxy: whether (or from which proxies) forwarded headers are believed. */
  readonly trustProxy: boolean | string[]
  /** Who may read the JSON routes cross-origin: any origin, or these. */
  readonly corsOrigins: '*' | string[]
  /** Whether GET /metrics is served. */
  readonly metricsEnabled: boolean
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  readonly metricsToken: Secret | undefined
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const ENV_SCHEMA = z.object({
  MONITOR_API_KEY: z
    .string({ error: 'MONITOR_API_KEY is required (the Server Monitor API key)' })
    // Printable ASCII without spaces: anything else cannot travel in a header.
    .regex(/^[\x21-\x7e]+$/, 'MONITOR_API_KEY must be printable ASCII without spaces')
    .transform((key) => new Secret(key)),
  MONITOR_API_URL: z
    .string()
    .default(DEFAULT_API_URL)
    .transform(httpUrl('MONITOR_API_URL', ' (the key goes in MONITOR_API_KEY)')),
  PORT: integer('PORT', 3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  CACHE_TTL_SECONDS: integer('CACHE_TTL_SECONDS', 300, 5, 3600),
  STALE_IF_ERROR_SECONDS: integer('STALE_IF_ERROR_SECONDS', 1800, 0, 604800),
  UPSTREAM_TIMEOUT_MS: integer('UPSTREAM_TIMEOUT_MS', 5000, 100, 60000),
  BADGE_LABEL: z.string().max(64, 'BADGE_LABEL must be at most 64 characters').default('status'),
  BADGE_MAX_AGE_SECONDS: integer('BADGE_MAX_AGE_SECONDS', 60, 0, 86400),
  SHUTDOWN_DRAIN_SECONDS: integer('SHUTDOWN_DRAIN_SECONDS', 2, 0, 5),
  PUBLIC_COMPONENTS: z.string().default('').transform(publicComponents),
  PUBLIC_URL: z.string().transform(httpUrl('PUBLIC_URL')).optional(),
  TRUST_PROXY: z.string().default('false').transform(trustProxy),
  CORS_ORIGINS: z.string().default('*').transform(corsOrigins),
  METRICS_ENABLED: z
    .enum(['true', 'false'], { error: 'METRICS_ENABLED must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]+$/, 'METRICS_TOKEN must be printable ASCII without spaces')
    .transform((token) => new Secret(token))
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
})

/** Every variable the service reads, in the order documented. */
export const CONFIG_VARIABLES = Object.keys(ENV_SCHEMA.shape)

type Env = Readonly<Record<string, string | undefined>>

/**
 * Parses the environment once, at the edge. Empty values count as unset, so
 * `PORT=` in a .env file means the default. Problems are collected, each
 * naming its variable; no message repeats a value.
 */
export function loadConfig(env: Env): Config {
  const present = Object.fromEntries(
    Object.keys(ENV_SCHEMA.shape)
      .map((name) => [name, env[name]?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  )
  const parsed = ENV_SCHEMA.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError([...new Set(parsed.error.issues.map((issue) => issue.message))])
  }
  const e = parsed.data
  return Object.freeze({
    apiKey: e.MONITOR_API_KEY,
    apiUrl: e.MONITOR_API_URL,
    port: e.PORT,
    host: e.HOST,
    cacheTtlSeconds: e.CACHE_TTL_SECONDS,
    staleIfErrorSeconds: e.STALE_IF_ERROR_SECONDS,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    badgeLabel: e.BADGE_LABEL,
    badgeMaxAgeSeconds: Math.min(e.BADGE_MAX_AGE_SECONDS, e.CACHE_TTL_SECONDS),
    logLevel: e.LOG_LEVEL,
    shutdownDrainSeconds: e.SHUTDOWN_DRAIN_SECONDS,
    publicComponents: e.PUBLIC_COMPONENTS,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    corsOrigins: e.CORS_ORIGINS,
    metricsEnabled: e.METRICS_ENABLED,
    metricsToken: e.METRICS_TOKEN,
  })
}

/** Advice worth a warning at start; the service runs either way. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = []
  const callsPerHour = Math.ceil((3600 / config.cacheTtlSeconds) * CALLS_PER_POLL)
  if (callsPerHour > UPSTREAM_HOURLY_LIMIT) {
    warnings.push(
      `CACHE_TTL_SECONDS=${config.cacheTtlSeconds} means about ${callsPerHour} upstream calls an hour, ` +
        `over the key's limit of about ${UPSTREAM_HOURLY_LIMIT}: expect 429 answers; ` +
        `${Math.ceil((3600 * CALLS_PER_POLL) / UPSTREAM_HOURLY_LIMIT)} seconds or more stays within it`,
    )
  }
  if (config.metricsToken && config.metricsToken.length < MIN_TOKEN_LENGTH) {
    warnings.push(`METRICS_TOKEN is shorter than ${MIN_TOKEN_LENGTH} characters: easy to guess`)
  }
  return warnings
}
