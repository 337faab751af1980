import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { BADGE_COLORS } from '../../src/badge/colors.js'
import type { Simulator } from '../../src/dev/simulator.js'
import { buildApp } from '../../src/app.js'
import { buildTestApp, captureLogs, firstPolls, startTestUpstream, testConfig } from '../helper.js'
import { svgFacts } from '../svg.js'

let upstream: Simulator
let app: App

beforeAll(async () => {
  upstream = await startTestUpstream()
  app = (await buildTestApp({ upstream, env: { PUBLIC_COMPONENTS: '*' } })).app
  await app.ready()
  await firstPolls(app)
})
afterAll(async () => {
  await app.close()
  await upstream.close()
})

const SVG_ROUTES = ['/badge.svg', '/uptime/badge.svg', '/components/1/badge.svg']
const SHORT_CACHE = /^public, max-age=([0-9]|10), s-maxage=([0-9]|10)$/

/** The first <rect>'s fill: the label side. */
const labelFill = (svg: string) => /<rect width="\d+" height="\d+" fill="(#[0-9a-f]+)"/.exec(svg)?.[1]

describe.each(SVG_ROUTES)('query parameters on %s', (route) => {
  it('style draws each of the five styles, each its own', async () => {
    const heights = { flat: 20, 'flat-square': 20, plastic: 18, 'for-the-badge': 28, social: 20 }
    const bodies = new Set<string>()
    for (const [style, height] of Object.entries(heights)) {
      const response = await app.inject(`${route}?style=${style}`)
      expect(response.statusCode).toBe(200)
      expect(response.headers['x-badge-error']).toBeUndefined()
      expect(Number(/height="(\d+)"/.exec(response.body)?.[1]), style).toBe(height)
      bodies.add(response.body)
    }
    expect(bodies.size).toBe(5)
    expect((await app.inject(`${route}?style=flat`)).body).toBe((await app.inject(route)).body)
  })

  it('label replaces the left-hand text; empty hides it', async () => {
    expect(svgFacts((await app.inject(`${route}?label=Acme%20%26%20Co`)).body).texts[0]).toBe('Acme & Co')
    const hidden = svgFacts((await app.inject(`${route}?label=`)).body)
    expect(hidden.texts).toHaveLength(1)
  })

  it.each([
    ['color=ff8800', '#ff8800'],
    ['color=F80', '#ff8800'],
    ['color=%23ff8800', '#ff8800'],
    ['color=blue', BADGE_COLORS.blue],
    ['color=success', BADGE_COLORS.brightgreen],
  ])('%s colours the message', async (query, fill) => {
    const { body } = await app.inject(`${route}?${query}`)
    expect(svgFacts(body).messageFill).toBe(fill)
  })

  it('labelColor colours the label', async () => {
    expect(labelFill((await app.inject(`${route}?labelColor=1f2328`)).body)).toBe('#1f2328')
    expect(labelFill((await app.inject(`${route}?labelColor=red`)).body)).toBe('#dd4343')
  })

  it('ignores a trailing slash', async () => {
    const plain = await app.inject(`${route}/`)
    expect(plain.statusCode).toBe(200)
    expect(plain.headers['content-type']).toBe('image/svg+xml; charset=utf-8')
  })

  it('ignores unknown parameters', async () => {
    const plain = await app.inject(route)
    const extra = await app.inject(`${route}?cacheBuster=123&utm_source=readme`)
    expect(extra.body).toBe(plain.body)
    expect(extra.headers['x-badge-error']).toBeUndefined()
  })

  it.each([
    ['style=fancy', 'invalid style'],
    ['style=flat&style=plastic', 'invalid style'],
    [`label=${'x'.repeat(65)}`, 'invalid label'],
    ['label=line%0Abreak', 'invalid label'],
    ['label=%EF%BF%BF', 'invalid label'],
    ['color=notacolor', 'invalid color'],
    ['color=ff88', 'invalid color'],
    ['color=javascript:alert(1)', 'invalid color'],
    ['labelColor=%23zzz', 'invalid labelColor'],
  ])('?%s: an image saying "%s", HTTP 200, short-lived, reason in X-Badge-Error', async (query, reason) => {
    const response = await app.inject(`${route}?${query}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8')
    expect(response.headers['x-badge-error']).toBe(reason)
    expect(response.headers['cache-control']).toMatch(SHORT_CACHE)
    const facts = svgFacts(response.body)
    expect(facts.texts[1]).toBe(reason)
    expect(facts.messageFill).toBe(BADGE_COLORS.red)
  })
})

describe('an error badge for a bad parameter', () => {
  it.each(['for-the-badge', 'flat-square', 'plastic', 'social'])('keeps a valid style=%s', async (style) => {
    const good = await app.inject(`/badge.svg?style=${style}`)
    const bad = await app.inject(`/badge.svg?style=${style}&color=nope`)
    expect(bad.headers['x-badge-error']).toBe('invalid color')
    expect(/height="(\d+)"/.exec(bad.body)?.[1]).toBe(/height="(\d+)"/.exec(good.body)?.[1])
    expect(bad.body).not.toBe((await app.inject(`/badge.svg?color=nope`)).body)
  })
})

describe('the rendered-SVG cache', () => {
  it('keeps memory flat under a flood of distinct URLs', async () => {
    // Over real HTTP: inject() itself keeps a little per request.
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    // Built without the test helper's capture of every response and log line,
    // which would itself grow with the flood.
    const server = await buildApp(testConfig({ MONITOR_API_URL: upstream.url, LOG_LEVEL: 'warn' }), {
      logger: captureLogs('warn').logger,
    })
    await server.listen({ host: '127.0.0.1', port: 0 })
    await firstPolls(server)
    const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`
    let next = 0
    async function flood(count: number) {
      const end = next + count
      const worker = async () => {
        while (next < end) {
          // Each label is new: a distinct badge to render and keep.
          const response = await fetch(`${base}/badge.svg?label=${next++}-${'x'.repeat(40)}`)
          await response.arrayBuffer()
        }
      }
      await Promise.all(Array.from({ length: 16 }, worker))
    }
    const heapAfter = async (count: number) => {
      await flood(count)
      gc()
      return process.memoryUsage().heapUsed
    }
    try {
      // The first flood fills the byte-bounded cache; later ones only replace entries.
      await heapAfter(8_000)
      const filled = await heapAfter(8_000)
      const later = await heapAfter(8_000)
      // 8000 more badges kept would be over 11 MB.
      expect(later - filled).toBeLessThan(4 * 1024 * 1024)
      const stats = server.caches.badges.stats()
      expect(stats.prepared).toBeGreaterThanOrEqual(24_000)
      expect(stats.entries).toBeLessThan(24_000)
    } finally {
      await server.close()
    }
  }, 120_000)

  it('keeps a variant from its second request on, then serves it from memory whatever the order', async () => {
    await app.inject('/badge.svg?style=plastic&color=blue')
    await app.inject('/badge.svg?style=plastic&color=blue')
    const before = app.caches.badges.stats()
    await app.inject('/badge.svg?color=blue&style=plastic')
    await app.inject('/badge.svg?style=plastic&utm_source=readme&color=blue')
    const after = app.caches.badges.stats()
    expect(after.prepared).toBe(before.prepared)
    expect(after.hits - before.hits).toBe(2)
  })
})
