import { isIP } from 'node:net'
import { z } from 'zod'
import { COMPONENT_ID } from './ids.js'

/** Field parsers for src/config.ts. Messages name the variable and never repeat its value. */

export function integer(name: string, fallback: number, min: number, max: number) {
  const message = `${name} must be a whole number from ${min} to ${max}`
  return z
    .string()
    .regex(/^\s*\d+\s*$/, message)
    .transform(Number)
    .pipe(z.number().int(message).min(min, message).max(max, message))
    .default(fallback)
}

/** An absolute http(s) URL without credentials, query or fragment; no trailing slash. */
export function httpUrl(name: string, credentialsHint = '') {
  return (value: string, ctx: z.RefinementCtx): string => {
    const problem = (message: string) => {
      ctx.addIssue({ code: 'custom', message: `${name} ${message}` })
      return z.NEVER
    }
    let url: URL
    try {
      url = new URL(value)
    } catch {
      return problem('must be an absolute http(s) URL')
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return problem('must use http or https')
    if (url.username || url.password) return problem(`must not contain credentials${credentialsHint}`)
    if (url.search || url.hash) return problem('must not contain a query string or fragment')
    return url.href.replace(/\/+$/, '')
  }
}

/** Which monitors are public: none (empty), all ("*"), or a list of ids. */
export type PublicComponents = '*' | ReadonlySet<string>

export function publicComponents(value: string, ctx: z.RefinementCtx): PublicComponents {
  if (value === '*') return '*'
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
  if (ids.some((id) => !COMPONENT_ID.test(id))) {
    ctx.addIssue({
      code: 'custom',
      message: 'PUBLIC_COMPONENTS must be "*" or a comma list of monitor ids (letters, digits, "-", "_")',
    })
    return z.NEVER
  }
  return new Set(ids)
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
export function trustProxy(value: string, ctx: z.RefinementCtx): boolean | string[] {
  // Not "1"/"0": to Fastify a number means a count of proxy hops.
  const word = value.toLowerCase()
  if (word === 'false') return false
  if (word === 'true') return true
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  if (entries.length === 0 || !entries.every(isAddressOrCidr)) {
    ctx.addIssue({
      code: 'custom',
      message: 'TRUST_PROXY must be true, false, or a comma list of IP addresses or CIDR ranges',
    })
    return z.NEVER
  }
  return entries
}

/** "*", or the origins (scheme://host[:port]) allowed to read the JSON cross-origin. */
export function corsOrigins(value: string, ctx: z.RefinementCtx): '*' | string[] {
  if (value === '*') return '*'
  const origins: string[] = []
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    let url: URL | undefined
    try {
      url = new URL(entry)
    } catch {
      url = undefined
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '')) {
      ctx.addIssue({
        code: 'custom',
        message: 'CORS_ORIGINS must be "*" or a comma list of origins like https://www.example.com (no path)',
      })
      return z.NEVER
    }
    origins.push(url.origin)
  }
  if (origins.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'CORS_ORIGINS must be "*" or a comma list of origins' })
    return z.NEVER
  }
  return origins
}
