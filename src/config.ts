import { Ajv } from 'ajv'
import type { FromSchema } from 'json-schema-to-ts'
import {
  corsOrigins,
  httpUrl,
  listenHost,
  publicComponents,
  redisUrl,
  stateValues,
  trustProxy,
  webhookTokens,
  type PublicComponents,
  type Read,
} from './config/fields.js'
import { Secret } from './config/secret.js'
import { budgetShare } from './fleet/share.js'
import { COLOR_PATTERN, normalColor } from './badge/colors.js'
import { MAX_LABEL_LENGTH, TEXT_PATTERN } from './badge/query.js'
import { FACE_STATES, type StateWords } from './badge/states.js'
import { pollPlan } from './status/pacing.js'

export const DEFAULT_API_URL = 'https://faciotech.com/modules/addons/faciotech_monitor/api.php'
const MIN_TOKEN_LENGTH = 16
/** BADGE_MESSAGES, BADGE_COLORS: six states, each value at most 64 characters percent-encoded, and room to spare. */
const MAX_STATE_LIST_LENGTH = 4096

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
/** Printable ASCII without spaces: anything else cannot travel in a header. */
const HEADER_TOKEN = '^[\\x21-\\x7e]+$'
/** Text without control characters. */
const PRINTABLE_TEXT = '^[^\\u0000-\\u001f\\u007f]*$'

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
  /** BADGE_MESSAGES and BADGE_COLORS: every status badge's words and colours per state, where set. */
  readonly badgeWords: StateWords
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
  /** The Statuspage-compatible API's page name (STATUS_PAGE_NAME, else BADGE_LABEL). */
  readonly statusPageName: string
  /** Whether active incidents (their titles) are published. */
  readonly publicIncidents: boolean
  /** Live-update streams (GET /events) at most, in all and from one client address. */
  readonly eventsMaxClients: number
  readonly eventsMaxPerClient: number
  /** Upstream calls allowed in any 60 s span (every call: polls, retries, webhook refreshes). */
  readonly upstreamMaxPerMinute: number
  /** Upstream calls allowed in any 3600 s span. */
  readonly upstreamMaxPerHour: number
  /** POST /webhook accepts any of these (two while one is rotated); undefined: no webhook route. */
  readonly webhookTokens: readonly Secret[] | undefined
  /** Webhook refreshes of a resource start at least this far apart. */
  readonly webhookMinIntervalSeconds: number
  /**
   * REDIS_URL: replicas share the poll, the snapshots and the budget through
   * it; undefined: one process, in memory. The URL is a Secret (it may hold a
   * password); `where` is its credential-free form for log lines.
   */
  readonly redis: { readonly url: Secret; readonly where: string } | undefined
  /** Replicas the budget is shared by when Redis is unreachable: each then polls within 1/N of it. */
  readonly fleetSizeHint: number
  /** How long the leader's lease lasts unrenewed: another replica takes over within about 4/3 of it. */
  readonly fleetLeaseSeconds: number
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const integer = (fallback: number, minimum: number, maximum: number) =>
  ({ type: 'integer', minimum, maximum, default: fallback }) as const

/**
 * The environment's schema, checked by ajv (the validator Fastify runs) the
 * way env-schema would: defaults filled in, numbers coerced, every problem
 * reported. env-schema itself is not used: it builds a second ajv with
 * meta-schema validation when imported, some 5 MB of resident memory for a
 * check made once (README, "Memory"). The schema says the syntax; the
 * readers of src/config/fields.ts say what JSON Schema cannot (a URL's
 * parts, CIDR ranges). Order is the documented order.
 */
const ENV_SCHEMA = {
  type: 'object',
  required: ['MONITOR_API_KEY'],
  properties: {
    MONITOR_API_KEY: { type: 'string', pattern: HEADER_TOKEN },
    MONITOR_API_URL: { type: 'string', default: DEFAULT_API_URL },
    PORT: integer(3000, 0, 65535),
    HOST: { type: 'string', default: '0.0.0.0' },
    CACHE_TTL_SECONDS: integer(300, 5, 3600),
    STALE_IF_ERROR_SECONDS: integer(1800, 0, 604800),
    UPSTREAM_TIMEOUT_MS: integer(5000, 100, 60000),
    BADGE_LABEL: { type: 'string', maxLength: 64, default: 'status' },
    BADGE_MESSAGES: { type: 'string', maxLength: MAX_STATE_LIST_LENGTH, default: '' },
    BADGE_COLORS: { type: 'string', maxLength: MAX_STATE_LIST_LENGTH, default: '' },
    BADGE_MAX_AGE_SECONDS: integer(60, 0, 86400),
    SHUTDOWN_DRAIN_SECONDS: integer(2, 0, 5),
    PUBLIC_COMPONENTS: { type: 'string', default: '' },
    PUBLIC_URL: { type: 'string' },
    TRUST_PROXY: { type: 'string', default: 'false' },
    CORS_ORIGINS: { type: 'string', default: '*' },
    METRICS_ENABLED: { type: 'string', enum: ['true', 'false'], default: 'true' },
    METRICS_TOKEN: { type: 'string', pattern: HEADER_TOKEN },
    STATUS_PAGE_NAME: { type: 'string', maxLength: 100, pattern: PRINTABLE_TEXT },
    PUBLIC_INCIDENTS: { type: 'string', enum: ['true', 'false'], default: 'false' },
    EVENTS_MAX_CLIENTS: integer(1000, 0, 10000),
    EVENTS_MAX_PER_CLIENT: integer(10, 1, 1000),
    UPSTREAM_MAX_PER_MINUTE: integer(30, 1, Number.MAX_SAFE_INTEGER),
    UPSTREAM_MAX_PER_HOUR: integer(500, 1, Number.MAX_SAFE_INTEGER),
    WEBHOOK_TOKEN: { type: 'string' },
    WEBHOOK_MIN_INTERVAL_SECONDS: integer(10, 1, 3600),
    REDIS_URL: { type: 'string' },
    FLEET_SIZE_HINT: integer(2, 1, 1000),
    FLEET_LEASE_SECONDS: integer(10, 2, 60),
    LOG_LEVEL: { type: 'string', enum: LOG_LEVELS, default: 'info' },
  },
} as const

type Env = FromSchema<typeof ENV_SCHEMA>

// The schema is ours and fixed (tests cover it): no need to validate it against the meta-schema.
const checkEnv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, validateSchema: false }).compile<Env>(
  ENV_SCHEMA,
)
type VariableName = keyof typeof ENV_SCHEMA.properties

/** Every variable the service reads, in the order documented. */
export const CONFIG_VARIABLES = Object.keys(ENV_SCHEMA.properties) as VariableName[]

const integerMessage = (name: VariableName) => {
  const { minimum, maximum } = ENV_SCHEMA.properties[name] as { minimum: number; maximum: number }
  return `${name} must be a whole number from ${minimum} to ${maximum}`
}

/** What a schema failure of each variable says: the variable, the rule, never the value. */
const MESSAGES: Partial<Record<VariableName, string>> = {
  MONITOR_API_KEY: 'MONITOR_API_KEY must be printable ASCII without spaces',
  FLEET_SIZE_HINT: 'FLEET_SIZE_HINT must be a whole number from 1 to 1000 (the replicas sharing the budget)',
  BADGE_LABEL: 'BADGE_LABEL must be at most 64 characters',
  BADGE_MESSAGES: 'BADGE_MESSAGES must be at most 4096 characters',
  BADGE_COLORS: 'BADGE_COLORS must be at most 4096 characters',
  METRICS_ENABLED: 'METRICS_ENABLED must be true or false',
  METRICS_TOKEN: 'METRICS_TOKEN must be printable ASCII without spaces',
  STATUS_PAGE_NAME: 'STATUS_PAGE_NAME must be at most 100 characters, without control characters',
  PUBLIC_INCIDENTS: 'PUBLIC_INCIDENTS must be true or false',
  // Any positive whole number: a key with a higher limit can be given more.
  UPSTREAM_MAX_PER_MINUTE: 'UPSTREAM_MAX_PER_MINUTE must be a positive whole number (calls in any 60 s)',
  UPSTREAM_MAX_PER_HOUR: 'UPSTREAM_MAX_PER_HOUR must be a positive whole number (calls in any 3600 s)',
  LOG_LEVEL: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`,
}
const REQUIRED_MESSAGES: Partial<Record<VariableName, string>> = {
  MONITOR_API_KEY: 'MONITOR_API_KEY is required (the Server Monitor API key)',
}

const messageFor = (name: VariableName) =>
  MESSAGES[name] ?? (ENV_SCHEMA.properties[name].type === 'integer' ? integerMessage(name) : `${name} is invalid`)

interface SchemaError {
  readonly instancePath: string
  readonly params: { readonly missingProperty?: string }
}

function isVariable(name: string): name is VariableName {
  return Object.hasOwn(ENV_SCHEMA.properties, name)
}

/** The variable each ajv error is about, as its message. */
function schemaProblems(errors: readonly SchemaError[]): string[] {
  return errors.map((error) => {
    const missing = error.params.missingProperty
    if (missing !== undefined && isVariable(missing)) return REQUIRED_MESSAGES[missing] ?? `${missing} is required`
    const name = error.instancePath.slice(1)
    return isVariable(name) ? messageFor(name) : 'the environment is invalid'
  })
}

/**
 * Parses the environment once, at the edge. Empty values count as unset, so
 * `PORT=` in a .env file means the default. Problems are collected, each
 * naming its variable; no message repeats a value.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = []
  const present: Partial<Record<VariableName, string>> = {}
  for (const name of CONFIG_VARIABLES) {
    const value = env[name]?.trim()
    if (value === undefined || value === '') continue
    // ajv coerces "1e3" and "0x10" to numbers; a whole number here is digits.
    if (ENV_SCHEMA.properties[name].type === 'integer' && !/^\d+$/.test(value)) problems.push(messageFor(name))
    else present[name] = value
  }

  // Filled with defaults and coerced in place: a copy, so `present` keeps the strings read.
  const checked: Record<string, unknown> = { ...present }
  const e = checkEnv(checked) ? checked : undefined
  if (!e) problems.push(...schemaProblems(checkEnv.errors ?? []))

  // What JSON Schema cannot say, read from the same strings so that every problem shows at once.
  const take = <T>(read: Read<T>): T | undefined => {
    if ('value' in read) return read.value
    problems.push(read.problem)
    return undefined
  }
  const text = (name: VariableName) =>
    present[name] ?? (ENV_SCHEMA.properties[name] as { default?: string }).default ?? ''
  const apiUrl = take(httpUrl('MONITOR_API_URL', text('MONITOR_API_URL'), ' (the key goes in MONITOR_API_KEY)'))
  const host = take(listenHost(text('HOST')))
  const publicUrl = present.PUBLIC_URL === undefined ? undefined : take(httpUrl('PUBLIC_URL', present.PUBLIC_URL))
  const visible = take(publicComponents(text('PUBLIC_COMPONENTS')))
  const proxies = take(trustProxy(text('TRUST_PROXY')))
  const origins = take(corsOrigins(text('CORS_ORIGINS')))
  const textRule = new RegExp(TEXT_PATTERN)
  const colorRule = new RegExp(COLOR_PATTERN)
  // Read only when the schema let them through (their length): one problem each.
  const wordsOk = (name: VariableName) => text(name).length <= MAX_STATE_LIST_LENGTH
  const messages = wordsOk('BADGE_MESSAGES')
    ? take(
        stateValues(
          'BADGE_MESSAGES',
          text('BADGE_MESSAGES'),
          FACE_STATES,
          (value) => value !== '' && Array.from(value).length <= MAX_LABEL_LENGTH && textRule.test(value),
          `1 to ${MAX_LABEL_LENGTH} characters without control characters`,
        ),
      )
    : undefined
  const colors = wordsOk('BADGE_COLORS')
    ? take(
        stateValues(
          'BADGE_COLORS',
          text('BADGE_COLORS'),
          FACE_STATES,
          (value) => colorRule.test(value),
          'a colour name (brightgreen, red…) or hex (ff8800)',
        ),
      )
    : undefined
  const hookTokens = present.WEBHOOK_TOKEN === undefined ? [] : take(webhookTokens(present.WEBHOOK_TOKEN))
  const redis = present.REDIS_URL === undefined ? null : take(redisUrl(present.REDIS_URL))

  if (
    problems.length > 0 ||
    e === undefined ||
    apiUrl === undefined ||
    host === undefined ||
    visible === undefined ||
    proxies === undefined ||
    origins === undefined ||
    messages === undefined ||
    colors === undefined ||
    hookTokens === undefined ||
    redis === undefined
  ) {
    throw new ConfigError([...new Set(problems)])
  }
  return Object.freeze({
    apiKey: new Secret(e.MONITOR_API_KEY),
    apiUrl,
    port: e.PORT,
    host,
    cacheTtlSeconds: e.CACHE_TTL_SECONDS,
    staleIfErrorSeconds: e.STALE_IF_ERROR_SECONDS,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    badgeLabel: e.BADGE_LABEL,
    badgeWords: {
      messages,
      colors: Object.fromEntries(Object.entries(colors).map(([state, color]) => [state, normalColor(color)])),
    },
    badgeMaxAgeSeconds: Math.min(e.BADGE_MAX_AGE_SECONDS, e.CACHE_TTL_SECONDS),
    logLevel: e.LOG_LEVEL,
    shutdownDrainSeconds: e.SHUTDOWN_DRAIN_SECONDS,
    publicComponents: visible,
    publicUrl,
    trustProxy: proxies,
    corsOrigins: origins,
    metricsEnabled: e.METRICS_ENABLED === 'true',
    metricsToken: e.METRICS_TOKEN === undefined ? undefined : new Secret(e.METRICS_TOKEN),
    statusPageName: e.STATUS_PAGE_NAME ?? e.BADGE_LABEL,
    publicIncidents: e.PUBLIC_INCIDENTS === 'true',
    eventsMaxClients: e.EVENTS_MAX_CLIENTS,
    eventsMaxPerClient: e.EVENTS_MAX_PER_CLIENT,
    upstreamMaxPerMinute: e.UPSTREAM_MAX_PER_MINUTE,
    upstreamMaxPerHour: e.UPSTREAM_MAX_PER_HOUR,
    webhookTokens: hookTokens.length === 0 ? undefined : Object.freeze(hookTokens.map((token) => new Secret(token))),
    webhookMinIntervalSeconds: e.WEBHOOK_MIN_INTERVAL_SECONDS,
    redis: redis === null ? undefined : Object.freeze({ url: new Secret(redis.url), where: redis.where }),
    fleetSizeHint: e.FLEET_SIZE_HINT,
    fleetLeaseSeconds: e.FLEET_LEASE_SECONDS,
  })
}

/** Advice worth a warning at start; the service runs either way. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = []
  const plan = pollPlan(config)
  if (plan.pacedBy) {
    warnings.push(
      `CACHE_TTL_SECONDS=${config.cacheTtlSeconds} would poll more often than ` +
        `${plan.pacedBy}=${plan.pacedBy === 'UPSTREAM_MAX_PER_MINUTE' ? config.upstreamMaxPerMinute : config.upstreamMaxPerHour} ` +
        `allows (${plan.callsPerPoll} calls a poll): polling every ${plan.everySeconds} s instead. ` +
        `Raise UPSTREAM_MAX_PER_MINUTE or UPSTREAM_MAX_PER_HOUR if the key allows more, ` +
        `or set CACHE_TTL_SECONDS=${plan.everySeconds} or more`,
    )
  }
  const share = fallbackPlan(config)
  if (share) {
    warnings.push(
      `with Redis unreachable each replica polls within its share of the budget (FLEET_SIZE_HINT=${config.fleetSizeHint}: ` +
        `${share.limits.perMinute} calls a minute, ${share.limits.perHour} an hour), which allows a poll every ` +
        `${share.everySeconds} s, not every ${plan.everySeconds} s: during an outage of Redis polls would wait for it ` +
        `and badges could turn stale. Raise UPSTREAM_MAX_PER_MINUTE or UPSTREAM_MAX_PER_HOUR if the key allows more, ` +
        `or set CACHE_TTL_SECONDS=${share.everySeconds} or more`,
    )
  }
  if (config.metricsToken && config.metricsToken.length < MIN_TOKEN_LENGTH) {
    warnings.push(`METRICS_TOKEN is shorter than ${MIN_TOKEN_LENGTH} characters: easy to guess`)
  }
  return warnings
}

/** With REDIS_URL, the poll interval the fallback share allows, when it is longer than the fleet's own. */
function fallbackPlan(config: Config) {
  if (!config.redis) return undefined
  const limits = budgetShare(
    { perMinute: config.upstreamMaxPerMinute, perHour: config.upstreamMaxPerHour },
    config.fleetSizeHint,
  )
  const { everySeconds } = pollPlan({
    cacheTtlSeconds: config.cacheTtlSeconds,
    upstreamMaxPerMinute: limits.perMinute,
    upstreamMaxPerHour: limits.perHour,
  })
  return everySeconds > pollPlan(config).everySeconds ? { limits, everySeconds } : undefined
}
