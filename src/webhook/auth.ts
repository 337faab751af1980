import { isIPv6 } from 'node:net'
import type { FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import type { Secret } from '../config/secret.js'

/** Refused tokens a client may send in a window before it is refused outright. */
export const MAX_REFUSALS = 10
export const REFUSAL_WINDOW_MS = 60_000

/**
 * The tokens a webhook offers: `Authorization: Bearer …`, `X-Webhook-Token`
 * and `?token=…` (the vendor's dashboard takes only a URL). A few at most,
 * so a request is a few guesses, never many.
 */
export function offeredTokens(request: FastifyRequest): string[] {
  const offered: string[] = []
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]
  if (bearer) offered.push(bearer)
  const header = request.headers['x-webhook-token']
  if (typeof header === 'string' && header.trim()) offered.push(header.trim())
  const query = (request.query as Record<string, unknown> | undefined)?.token
  for (const value of Array.isArray(query) ? query.slice(0, 2) : [query]) {
    if (typeof value === 'string' && value) offered.push(value)
  }
  return offered.slice(0, 4)
}

/** Whether any offered token is one of ours; every pair is compared, in constant time, whatever matches. */
export function tokenMatches(tokens: readonly Secret[], offered: readonly string[]): boolean {
  let match = false
  for (const candidate of offered) {
    for (const token of tokens) match = token.equals(candidate) || match
  }
  return match
}

/**
 * Who a client is, for counting its refusals: its address, or for IPv6 its
 * /64 (one host usually holds a whole /64, and could otherwise rotate
 * through it).
 */
export function clientKey(ip: string): string {
  const address = ip.replace(/%.*$/, '')
  if (!isIPv6(address) || /^::ffff:\d/i.test(address)) return address.replace(/^::ffff:/i, '')
  const [head = '', tail] = address.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`
}

export interface RefusalLimiter {
  /** Milliseconds the client must wait before it is heard again; 0 when it may try. */
  blockedFor(client: string): number
  /** Counts a refusal; true when this one blocks the client. */
  refuse(client: string): boolean
}

/**
 * Repeated 401s from one client are answered 429 for the rest of their
 * window, before any comparison. Bounded: an LRU of `maxClients` entries
 * (the oldest forgotten first) that expire with their window.
 */
export function createRefusalLimiter(clock: { now(): number }, maxClients: number): RefusalLimiter {
  const clients = new LRUCache<string, { since: number; count: number }>({
    max: maxClients,
    ttl: REFUSAL_WINDOW_MS,
    ttlAutopurge: false,
    perf: clock,
  })
  return {
    blockedFor(client) {
      const entry = clients.get(client)
      if (!entry || entry.count < MAX_REFUSALS) return 0
      return Math.max(0, entry.since + REFUSAL_WINDOW_MS - clock.now())
    },
    refuse(client) {
      const now = clock.now()
      const entry = clients.get(client)
      if (!entry || now >= entry.since + REFUSAL_WINDOW_MS) {
        clients.set(client, { since: now, count: 1 })
        return false
      }
      entry.count += 1
      return entry.count === MAX_REFUSALS
    },
  }
}
