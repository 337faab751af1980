import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { BADGE_COLORS } from '../../src/badge/colors.js'
import { badgeJsonSchema } from '../../src/badge/schemas.js'
import { rollupStatus, rollupSubject } from '../../src/badge/subjects/rollup.js'
import type { Simulator } from '../../src/dev/simulator.js'
import { createComponentCatalog } from '../../src/status/components.js'
import { MONITOR_STATES } from '../../src/status/monitor-state.js'
import { buildTestApp, firstPolls, startTestUpstream } from '../helper.js'
import { matchesSchema, SHIELDS_ENDPOINT_JSON } from '../schema.js'
import { svgFacts } from '../svg.js'

const ROLLUP_JSON = badgeJsonSchema(rollupSubject(createComponentCatalog('*'), 'status').fields)

/** A response's headers but its Date, which moves with the clock. */
const withoutDate = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date'))

let upstream: Simulator
let app: App | undefined

beforeAll(async () => {
  upstream = await startTestUpstream()
})
afterAll(() => upstream.close())
beforeEach(() => {
  upstream.setScenario('operational')
  upstream.state.monitors = [
    { id: 1, name: 'Web', type: 'https', target: 'https://10.0.0.1/', status: 'up', is_active: 1 },
    { id: 2, name: 'Database', type: 'tcp', target: '10.0.0.2:5432', status: 'down', is_active: 1 },
    { id: 3, name: 'Queue', type: 'tcp', target: '10.0.0.3:5672', status: 'pending', is_active: 1 },
    { id: 4, name: 'Batch', type: 'https', target: 'https://10.0.0.4/', status: 'paused', is_active: 0 },
    { id: 5, name: 'Mail', type: 'https', target: 'https://10.0.0.5/', status: 'down', is_active: 1 },
    { id: 6, name: 'Internal', type: 'https', target: 'https://10.0.0.6/', status: 'up', is_active: 1 },
  ]
})
afterEach(async () => {
  await app?.close()
  app = undefined
})

/** Components 1 to 5 public; 6 exists but is hidden; 9 is public and missing. */
async function ready(env: Record<string, string> = {}): Promise<App> {
  app = (await buildTestApp({ upstream, env: { PUBLIC_COMPONENTS: '1,2,3,4,5,9', ...env } })).app
  await app.ready()
  await firstPolls(app)
  return app
}

describe('the roll-up state', () => {
  it.each([
    [['up', 'up'], 'operational'],
    [['up', 'pending'], 'degraded'],
    [['up', 'down'], 'partial_outage'],
    [['pending', 'down'], 'partial_outage'],
    [['down', 'down'], 'major_outage'],
    [['down', 'paused'], 'major_outage'],
    [['up', 'paused'], 'operational'],
    [['paused'], 'unknown'],
    [['unknown', 'unknown'], 'unknown'],
    [['unknown', 'up'], 'operational'],
  ] as const)('%j → %s', (states, status) => {
    expect(rollupStatus(states)).toBe(status)
  })

  it('depends on neither order nor repetition', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...MONITOR_STATES), { minLength: 1, maxLength: 10 }), (states) => {
        const shuffled = [...states].reverse().concat(states)
        expect(rollupStatus(shuffled)).toBe(rollupStatus(states))
      }),
    )
  })
})

describe('GET /components/badge.svg?ids=…', () => {
  it.each([
    ['1', 'operational', 'brightgreen'],
    ['1,3', 'degraded', 'yellow'],
    ['1,2', 'partial outage', 'orange'],
    ['2,5', 'major outage', 'red'],
    ['1,4', 'operational', 'brightgreen'],
    ['4', 'unknown', 'lightgrey'],
  ] as const)('ids=%s says %s', async (ids, message, color) => {
    const app = await ready()
    const response = await app.inject(`/components/badge.svg?ids=${ids}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-badge-error']).toBeUndefined()
    const facts = svgFacts(response.body)
    expect(facts.texts).toEqual(['status', message])
    expect(facts.messageFill).toBe(BADGE_COLORS[color])
  })

  it('is labelled by label= or BADGE_LABEL', async () => {
    const app = await ready({ BADGE_LABEL: 'backend' })
    expect(svgFacts((await app.inject('/components/badge.svg?ids=1')).body).texts[0]).toBe('backend')
    expect(svgFacts((await app.inject('/components/badge.svg?ids=1&label=core')).body).texts[0]).toBe('core')
  })

  it('gives the same bytes and the same cache entry whatever the order and repetition of ids', async () => {
    const app = await ready()
    const first = await app.inject('/components/badge.svg?ids=1,2,3')
    const entries = app.caches.badges.stats().entries
    for (const ids of ['3,2,1', '2,1,3,3,1', ',1,,2,3,']) {
      const again = await app.inject(`/components/badge.svg?ids=${ids}`)
      expect(again.body).toBe(first.body)
      expect(again.headers.etag).toBe(first.headers.etag)
    }
    expect(app.caches.badges.stats().entries).toBe(entries)
    expect(app.caches.badges.stats().hits).toBeGreaterThanOrEqual(2)
  })

  it('answers a list naming a hidden or missing component exactly as an unknown component id', async () => {
    const app = await ready()
    const unknownId = await app.inject('/components/999/badge.svg')
    for (const ids of ['6', '1,6', '1,2,6', '9', '1,9', '7,8']) {
      const response = await app.inject(`/components/badge.svg?ids=${ids}`)
      expect(response.body, ids).toBe(unknownId.body)
      expect(withoutDate(response.headers), ids).toEqual(withoutDate(unknownId.headers))
    }
    const unknownJson = await app.inject('/components/999/badge.json')
    const hiddenJson = await app.inject('/components/badge.json?ids=1,6')
    expect(hiddenJson.statusCode).toBe(404)
    expect(hiddenJson.body).toBe(unknownJson.body)
    expect((await app.inject('/components/badge.shields.json?ids=6')).body).toBe(
      (await app.inject('/components/999/badge.shields.json')).body,
    )
    const unknownPng = await app.inject('/components/999/badge.png')
    const hiddenPng = await app.inject('/components/badge.png?ids=6,1')
    expect(hiddenPng.rawPayload.equals(unknownPng.rawPayload)).toBe(true)
    expect(withoutDate(hiddenPng.headers)).toEqual(withoutDate(unknownPng.headers))
  })

  it.each([
    ['', 'missing ids'],
    ['?ids=', 'missing ids'],
    ['?ids=,,,', 'missing ids'],
    ['?ids=1;2', 'invalid ids'],
    ['?ids=<script>', 'invalid ids'],
    [`?ids=${'1'.repeat(65)}`, 'invalid ids'],
    [`?ids=${'1,'.repeat(3000)}`, 'invalid ids'],
    [`?ids=${Array.from({ length: 51 }, (_, i) => i + 1).join(',')}`, 'too many ids'],
    ['?ids=1&ids=2', 'invalid ids'],
  ])('%s: an error badge "%s", HTTP 200', async (query, reason) => {
    const app = await ready()
    const response = await app.inject(`/components/badge.svg${query}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8')
    expect(response.headers['x-badge-error']).toBe(reason)
    expect(response.body).not.toContain('<script>')
    expect(svgFacts(response.body).texts[1]).toBe(reason)
    const json = await app.inject(`/components/badge.json${query}`)
    expect(json.statusCode).toBe(400)
    expect(json.json()).toEqual({ error: reason })
  })

  it('takes 50 ids, repeated as often as one likes', async () => {
    upstream.state.monitors = Array.from({ length: 50 }, (_, i) => ({
      id: i + 1,
      name: `m${i + 1}`,
      type: 'https',
      target: 'https://10.0.0.1/',
      status: 'up',
      is_active: 1,
    }))
    const app = await ready({ PUBLIC_COMPONENTS: '*' })
    const ids = Array.from({ length: 50 }, (_, i) => i + 1)
    const response = await app.inject(`/components/badge.svg?ids=${[...ids, ...ids].join(',')}`)
    expect(response.headers['x-badge-error']).toBeUndefined()
    expect(svgFacts(response.body).texts[1]).toBe('operational')
  })
})

describe('GET /components/badge.json and .shields.json', () => {
  it('says which components it rolls up, in canonical order, and their worst state', async () => {
    const app = await ready()
    const response = await app.inject('/components/badge.json?ids=3,1,3')
    expect(response.statusCode).toBe(200)
    const body: unknown = response.json()
    expect(matchesSchema(ROLLUP_JSON, body)).toBe(true)
    expect(body).toMatchObject({ ids: ['1', '3'], status: 'degraded', label: 'status', message: 'degraded' })
    const shields: unknown = (await app.inject('/components/badge.shields.json?ids=2,5')).json()
    expect(matchesSchema(SHIELDS_ENDPOINT_JSON, shields)).toBe(true)
    expect(shields).toMatchObject({ message: 'major outage', color: 'red' })
  })
})
