import { isIP } from 'node:net'
import { COMPONENT_ID } from '../status/ids.js'

/**
 * Readers for what JSON Schema cannot say about a variable (src/config.ts
 * validates the syntax first): a value, or a problem that names the
 * variable and never repeats its value.
 */
export type Read<T> = { readonly value: T } | { readonly problem: string }

const ok = <T>(value: T): Read<T> => ({ value })
const problem = (message: string): Read<never> => ({ problem: message })

/** A comma list, trimmed, without empty entries. */
export const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)

/** An absolute http(s) URL without credentials, query or fragment; no trailing slash. */
export function httpUrl(name: string, value: string, credentialsHint = ''): Read<string> {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return problem(`${name} must be an absolute http(s) URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return problem(`${name} must use http or https`)
  if (url.username || url.password) return problem(`${name} must not contain credentials${credentialsHint}`)
  if (url.search || url.hash) return problem(`${name} must not contain a query string or fragment`)
  return ok(url.href.replace(/\/+$/, ''))
}

/** Which monitors are public: none (empty), all ("*"), or a list of ids. */
export type PublicComponents = '*' | ReadonlySet<string>

export function publicComponents(value: string): Read<PublicComponents> {
  if (value === '*') return ok('*')
  const ids = commaList(value)
  if (ids.some((id) => !COMPONENT_ID.test(id))) {
    return problem('PUBLIC_COMPONENTS must be "*" or a comma list of monitor ids (letters, digits, "-", "_")')
  }
  return ok(new Set(ids))
}

/** proxy-addr's names for address ranges, which Fastify's trustProxy accepts. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function isAddressOrCidr(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

/** false, true, or the proxies (addresses, CIDRs) whose forwarded headers are believed. */
export function trustProxy(value: string): Read<boolean | string[]> {
  // Not "1"/"0": to Fastify a number means a count of proxy hops.
  const word = value.toLowerCase()
  if (word === 'false') return ok(false)
  if (word === 'true') return ok(true)
  const entries = commaList(value)
  if (entries.length === 0 || !entries.every(isAddressOrCidr)) {
    return problem('TRUST_PROXY must be true, false, or a comma list of IP addresses or CIDR ranges')
  }
  return ok(entries)
}

/** "*", or the origins (scheme://host[:port]) allowed to read the JSON cross-origin. */
export function corsOrigins(value: string): Read<'*' | string[]> {
  if (value === '*') return ok('*')
  const message = 'CORS_ORIGINS must be "*" or a comma list of origins like https://www.example.com (no path)'
  const origins: string[] = []
  for (const entry of commaList(value)) {
    let url: URL | undefined
    try {
      url = new URL(entry)
    } catch {
      url = undefined
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '')) {
      return problem(message)
    }
    origins.push(url.origin)
  }
  return origins.length > 0 ? ok(origins) : problem(message)
}

/**
 * An address to listen on: an IP address, or a host name (such as
 * "localhost"), as Node's listen() takes it.
 */
export function listenHost(value: string): Read<string> {
  const hostname =
    /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/
  if (isIP(value) !== 0 || hostname.test(value)) return ok(value)
  return problem('HOST must be an IP address (0.0.0.0, ::, 127.0.0.1) or a host name')
}

/**
 * `state=value` pairs, comma-separated, for BADGE_MESSAGES and BADGE_COLORS:
 * each state at most once, its value percent-decoded (a comma is %2C, "="
 * is %3D) and checked as the matching query parameter is.
 */
export function stateValues<State extends string>(
  name: string,
  value: string,
  states: readonly State[],
  valid: (value: string) => boolean,
  rule: string,
): Read<Partial<Record<State, string>>> {
  const values: Partial<Record<State, string>> = {}
  const shape = `${name} must be a comma list of state=value pairs, states among ${states.join(', ')}`
  for (const entry of commaList(value)) {
    const equals = entry.indexOf('=')
    const state = entry.slice(0, equals).trim() as State
    if (equals <= 0 || !states.includes(state) || state in values) return problem(shape)
    let decoded: string
    try {
      decoded = decodeURIComponent(entry.slice(equals + 1).trim())
    } catch {
      return problem(`${name} has a value that is not valid percent-encoding`)
    }
    if (!valid(decoded)) return problem(`${name}: each value must be ${rule}`)
    values[state] = decoded
  }
  return ok(values)
}

/** A webhook token: long enough not to be guessed, and safe in a URL as it is. */
const WEBHOOK_TOKEN = /^[A-Za-z0-9._~-]{24,}$/

/**
 * WEBHOOK_TOKEN: one token, or two separated by a comma while the vendor's
 * dashboard is moved from the old one to the new.
 */
export function webhookTokens(value: string): Read<string[]> {
  const tokens = value.split(',').map((token) => token.trim())
  if (tokens.length > 2 || !tokens.every((token) => WEBHOOK_TOKEN.test(token))) {
    return problem(
      'WEBHOOK_TOKEN must be at least 24 characters (letters, digits, "-", "_", ".", "~"), ' +
        'or two such tokens separated by a comma while one is rotated',
    )
  }
  return ok(tokens)
}

/** Where a Redis is, fit for a log line: scheme, host, port and database, never the credentials. */
export interface RedisUrl {
  /** The whole URL, password included. */
  readonly url: string
  readonly where: string
}

/**
 * REDIS_URL: `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for
 * TLS. The URL may hold a password, so no message repeats it.
 */
export function redisUrl(value: string): Read<RedisUrl> {
  const message =
    'REDIS_URL must be a redis:// or rediss:// URL such as redis://redis:6379/0 (host, optional port and database number)'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return problem(message)
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return problem(message)
  if (!url.hostname || url.search || url.hash || !/^(?:\/\d{0,5})?$/.test(url.pathname)) return problem(message)
  const database = url.pathname.slice(1) || '0'
  return ok({ url: url.href, where: `${url.protocol}//${url.host}/${database}` })
}
