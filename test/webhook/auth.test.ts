import type { FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import { Secret } from '../../src/config/secret.js'
import {
  clientKey,
  createRefusalLimiter,
  MAX_REFUSALS,
  offeredTokens,
  REFUSAL_WINDOW_MS,
  tokenMatches,
} from '../../src/webhook/auth.js'

const request = (headers: Record<string, string>, query: Record<string, unknown> = {}) =>
  ({ headers, query }) as unknown as FastifyRequest

describe('offeredTokens', () => {
  it('takes the token from a bearer header, X-Webhook-Token and ?token=', () => {
    expect(offeredTokens(request({ authorization: 'Bearer abc' }))).toEqual(['abc'])
    expect(offeredTokens(request({ 'x-webhook-token': ' def ' }))).toEqual(['def'])
    expect(offeredTokens(request({}, { token: 'ghi' }))).toEqual(['ghi'])
    expect(offeredTokens(request({ authorization: 'Basic abc' }))).toEqual([])
  })

  it('takes a few at most', () => {
    const offered = offeredTokens(
      request({ authorization: 'Bearer a', 'x-webhook-token': 'b' }, { token: ['c', 'd', 'e', 'f'] }),
    )
    expect(offered).toEqual(['a', 'b', 'c', 'd'])
  })
})

describe('tokenMatches', () => {
  const old = new Secret('old-token-0123456789abcdef')
  const fresh = new Secret('new-token-0123456789abcdef')

  it('accepts either token while rotating, and nothing else', () => {
    expect(tokenMatches([old, fresh], ['new-token-0123456789abcdef'])).toBe(true)
    expect(tokenMatches([old, fresh], ['nope', 'old-token-0123456789abcdef'])).toBe(true)
    expect(tokenMatches([old], ['new-token-0123456789abcdef'])).toBe(false)
    expect(tokenMatches([old], ['old-token-0123456789abcde'])).toBe(false)
    expect(tokenMatches([old], [])).toBe(false)
  })
})

describe('clientKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(clientKey(ip)).toBe(key)
  })
})

describe('the refusal limiter', () => {
  function clock() {
    let now = 0
    return { now: () => now, advance: (ms: number) => (now += ms) }
  }

  it(`lets a client be refused ${MAX_REFUSALS} times a minute, then refuses it outright until the minute ends`, () => {
    const time = clock()
    const limiter = createRefusalLimiter(time, 100)
    const blocks: boolean[] = []
    for (let i = 0; i < MAX_REFUSALS; i++) {
      expect(limiter.blockedFor('a')).toBe(0)
      blocks.push(limiter.refuse('a'))
    }
    expect(blocks.filter(Boolean)).toHaveLength(1)
    expect(blocks.at(-1)).toBe(true)
    time.advance(15_000)
    expect(limiter.blockedFor('a')).toBe(REFUSAL_WINDOW_MS - 15_000)
    expect(limiter.blockedFor('b')).toBe(0)
    time.advance(REFUSAL_WINDOW_MS - 15_000)
    expect(limiter.blockedFor('a')).toBe(0)
    expect(limiter.refuse('a')).toBe(false)
  })

  it('forgets the oldest clients first, holding at most a fixed number', () => {
    const fill = (others: number) => {
      const limiter = createRefusalLimiter(clock(), 100)
      for (let i = 0; i < MAX_REFUSALS; i++) limiter.refuse('first')
      for (let i = 0; i < others; i++) limiter.refuse(`client-${i}`)
      return limiter.blockedFor('first')
    }
    expect(fill(99)).toBeGreaterThan(0)
    expect(fill(100)).toBe(0)
  })
})
