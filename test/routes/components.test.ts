import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { matchesSchema, COMPONENTS_JSON, COMPONENT_BADGE_JSON, ERROR_BODY } from '../schema.js'
import type { App } from '../../src/app.js'
import { BADGE_COLORS } from '../../src/badge/colors.js'
import { fleet } from '../../src/dev/scenarios.js'
import type { Simulator } from '../../src/dev/simulator.js'
import { buildTestApp, firstPolls, startTestUpstream } from '../helper.js'
import { svgFacts } from '../svg.js'

const HOSTILE = `<script>alert("x")</script> & 'Ünïcødé' 日本 ✓`
const SHORT_CACHE = 'public, max-age=5, s-maxage=5'

let upstream: Simulator
let app: App | undefined

beforeAll(async () => {
  upstream = await startTestUpstream()
})
afterAll(() => upstream.close())
beforeEach(() => {
  upstream.setScenario('operational')
  upstream.state.monitors = [
    { id: 1, name: 'Web Server', type: 'https', target: 'https://10.0.0.1/health', status: 'up', is_active: 1 },
    { id: '2', name: 'Database', type: 'tcp', target: '10.0.0.2:5432', status: 'down', is_active: '1' },
    { id: 3, name: 'Queue', type: 'tcp', target: '10.0.0.3:5672', status: 'pending', is_active: true },
    { id: 4, name: 'Batch', type: 'https', target: 'https://10.0.0.4/', status: 'paused', is_active: 0 },
    { id: 5, name: HOSTILE, type: 'https', target: 'https://10.0.0.5/', status: 'flapping', is_active: 1 },
  ]
  upstream.override('/monitors', undefined)
})
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function ready(publicComponents = '*'): Promise<App> {
  app = (await buildTestApp({ upstream, env: { PUBLIC_COMPONENTS: publicComponents } })).app
  await app.ready()
  await firstPolls(app)
  return app
}

describe('component badges', () => {
  it.each([
    ['1', 'Web Server', 'up', 'brightgreen'],
    ['2', 'Database', 'down', 'red'],
    ['3', 'Queue', 'pending', 'yellow'],
    ['4', 'Batch', 'paused', 'lightgrey'],
    ['5', HOSTILE, 'unknown', 'lightgrey'],
  ] as const)('component %s: "%s" is %s in %s', async (id, name, status, color) => {
    const app = await ready()
    const svg = await app.inject(`/components/${id}/badge.svg`)
    expect(svg.statusCode).toBe(200)
    expect(svgFacts(svg.body).texts).toEqual([name, status])
    expect(svgFacts(svg.body).messageFill).toBe(BADGE_COLORS[color])
    expect(svg.headers['x-badge-error']).toBeUndefined()

    const json = await app.inject(`/components/${id}/badge.json`)
    expect(json.statusCode).toBe(200)
    const body: unknown = json.json()
    expect(matchesSchema(COMPONENT_BADGE_JSON, body)).toBe(true)
    expect(body).toEqual({
      id,
      name,
      status,
      label: name,
      message: status,
      color: BADGE_COLORS[color],
      updatedAt: expect.any(String) as string,
      stale: false,
    })
    expect(json.headers['cache-control']).toBe(
      status === 'unknown'
        ? SHORT_CACHE
        : 'public, max-age=60, s-maxage=60, stale-while-revalidate=60, stale-if-error=1800',
    )
  })

  it('never publishes a target or type', async () => {
    const app = await ready()
    for (const url of ['/components.json', '/components/1/badge.json', '/components/2/badge.svg', '/']) {
      const { body } = await app.inject(url)
      expect(body).not.toContain('10.0.0.')
      expect(body).not.toMatch(/"type"|https:\/\/10\./)
    }
  })

  it('escapes hostile names in the SVG', async () => {
    const app = await ready()
    const { body } = await app.inject('/components/5/badge.svg')
    expect(body).not.toContain('<script>')
    expect(body).toContain('&lt;script&gt;')
  })

  it('take the label query parameter over the name', async () => {
    const app = await ready()
    const { body } = await app.inject('/components/1/badge.svg?label=site&color=blue')
    expect(svgFacts(body).texts).toEqual(['site', 'up'])
    expect(svgFacts(body).messageFill).toBe(BADGE_COLORS.blue)
  })
})

describe('PUBLIC_COMPONENTS', () => {
  it('hides every component by default, and a hidden id looks exactly like a missing one', async () => {
    app = (await buildTestApp({ upstream })).app
    await app.ready()
    await firstPolls(app)
    const hidden = await app.inject('/components/1/badge.svg')
    const missing = await app.inject('/components/999/badge.svg')
    expect(hidden.statusCode).toBe(200)
    expect(hidden.headers['x-badge-error']).toBe('not found')
    expect(hidden.body).toBe(missing.body)
    expect(hidden.headers.etag).toBe(missing.headers.etag)
    expect(svgFacts(hidden.body).texts).toEqual(['component', 'not found'])
    expect((await app.inject('/components.json')).json()).toMatchObject({ components: [] })
  })

  it('publishes only the listed ids', async () => {
    const app = await ready('2,4')
    const list = (await app.inject('/components.json')).json<{ components: Array<{ id: string }> }>()
    expect(list.components.map((c) => c.id)).toEqual(['2', '4'])
    expect((await app.inject('/components/1/badge.json')).statusCode).toBe(404)
    expect((await app.inject('/components/2/badge.json')).statusCode).toBe(200)
  })
})

describe('errors in the route format', () => {
  it('JSON: 404 for a hidden or missing id, 400 for an impossible one, with an error string', async () => {
    const app = await ready('1')
    for (const [url, status, error] of [
      ['/components/2/badge.json', 404, 'not found'],
      ['/components/999/badge.json', 404, 'not found'],
      ['/components/no%20such%3Cid/badge.json', 400, 'invalid id'],
    ] as const) {
      const response = await app.inject(url)
      expect(response.statusCode, url).toBe(status)
      expect(matchesSchema(ERROR_BODY, response.json())).toBe(true)
      expect(response.json()).toEqual({ error })
      expect(response.headers['cache-control']).toBe('no-store')
    }
  })

  it('SVG: an impossible id is "not found", as an image with HTTP 200', async () => {
    const app = await ready()
    const response = await app.inject('/components/a%3Cb%3E/badge.svg')
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-badge-error']).toBe('not found')
    expect(response.headers['cache-control']).toBe(SHORT_CACHE)
  })
})

describe('before /monitors has answered', () => {
  it('a public component says unknown, and the list is empty', async () => {
    upstream.override('/monitors', { status: 503, body: { success: false, error: 'down for maintenance' } })
    const app = await ready()
    const svg = await app.inject('/components/1/badge.svg')
    expect(svgFacts(svg.body).texts).toEqual(['1', 'unknown'])
    expect(svg.headers['cache-control']).toBe(SHORT_CACHE)
    expect((await app.inject('/components/1/badge.json')).json()).toMatchObject({
      id: '1',
      name: null,
      status: 'unknown',
    })
    expect((await app.inject('/components.json')).json()).toEqual({ components: [], updatedAt: null, stale: true })
  })
})

describe('GET /components.json', () => {
  it('lists the public components in the upstream order, with nothing else', async () => {
    const app = await ready()
    const response = await app.inject('/components.json')
    const body: unknown = response.json()
    expect(matchesSchema(COMPONENTS_JSON, body)).toBe(true)
    expect(body).toEqual({
      components: [
        { id: '1', name: 'Web Server', status: 'up' },
        { id: '2', name: 'Database', status: 'down' },
        { id: '3', name: 'Queue', status: 'pending' },
        { id: '4', name: 'Batch', status: 'paused' },
        { id: '5', name: HOSTILE, status: 'unknown' },
      ],
      updatedAt: expect.any(String) as string,
      stale: false,
    })
  })

  it('follows the upstream', async () => {
    const app = await ready()
    upstream.state.monitors = fleet(5)
    await app.poller.refresh('monitors')
    const body = (await app.inject('/components.json')).json<{ components: Array<{ status: string }> }>()
    expect(body.components.map((c) => c.status)).toEqual(['down', 'down', 'down', 'down', 'down'])
  })
})

describe('a not-found badge', () => {
  it('keeps a valid style, so it fits the row it is in', async () => {
    const app = await ready('1')
    const response = await app.inject('/components/999/badge.svg?style=for-the-badge')
    expect(response.headers['x-badge-error']).toBe('not found')
    expect(/height="(\d+)"/.exec(response.body)?.[1]).toBe('28')
  })
})

describe('Last-Modified of a component badge', () => {
  it('is not matched by date once the badge turns into "not found", so If-Modified-Since alone sees the change', async () => {
    const app = await ready()
    const urls = ['/components/2/badge.svg', '/components/2/badge.shields.json']
    const since = new Map<string, string>()
    for (const url of urls) since.set(url, String((await app.inject(url)).headers['last-modified']))
    upstream.state.monitors = upstream.state.monitors.filter((m) => String(m.id) !== '2')
    await app.poller.refresh('monitors')
    for (const url of urls) {
      const gone = await app.inject({ url, headers: { 'if-modified-since': since.get(url) ?? '' } })
      expect(gone.statusCode, url).toBe(200)
      expect(gone.headers['x-badge-error']).toBe('not found')
      // The same bytes answer every missing id: no date is true for all of them.
      expect(gone.headers['last-modified']).toBeUndefined()
      const again = await app.inject({ url, headers: { 'if-none-match': String(gone.headers.etag) } })
      expect(again.statusCode).toBe(304)
    }
  })
})

describe('monitors listed twice under one id', () => {
  it('show the first of them in every output, and list it once', async () => {
    upstream.state.monitors = [
      { id: 1, name: 'First', type: 'https', target: 'https://10.0.0.1/', status: 'up', is_active: 1 },
      { id: 2, name: 'Other', type: 'https', target: 'https://10.0.0.2/', status: 'up', is_active: 1 },
      { id: '1', name: 'Second', type: 'https', target: 'https://10.0.0.9/', status: 'down', is_active: 1 },
      { id: ' 1 ', name: 'Third', type: 'https', target: 'https://10.0.0.9/', status: 'paused', is_active: 1 },
    ]
    const built = await buildTestApp({ upstream, env: { PUBLIC_COMPONENTS: '*' } })
    const { app } = built
    await app.ready()
    await firstPolls(app)
    try {
      expect((await app.inject('/components.json')).json()).toMatchObject({
        components: [
          { id: '1', name: 'First', status: 'up' },
          { id: '2', name: 'Other', status: 'up' },
        ],
      })
      expect(svgFacts((await app.inject('/components/1/badge.svg')).body).texts).toEqual(['First', 'up'])
      expect((await app.inject('/components/1/badge.json')).json()).toMatchObject({ name: 'First', status: 'up' })
      expect((await app.inject('/components/1/badge.shields.json')).json()).toMatchObject({
        label: 'First',
        message: 'up',
      })
      const page = (await app.inject('/')).body
      expect(page).toContain('alt="First"')
      expect(page).not.toMatch(/Second|Third/)
      expect(page.match(/<code>1<\/code>/g)).toHaveLength(1)
      // The poll's log line says how many were left out.
      expect(built.records().find((r) => r.msg === 'poll monitors: ok')).toMatchObject({ duplicateMonitors: 2 })
    } finally {
      await app.close()
    }
  })
})
