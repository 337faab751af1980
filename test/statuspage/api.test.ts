import type { AddressInfo } from 'node:net'
import { Statuspage } from 'statuspage.io'
import { describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { SCENARIO_NAMES, type ScenarioName } from '../../src/dev/scenarios.js'
import { useUpstream } from '../helper.js'
import { matchesSchema } from '../schema.js'

const t = useUpstream({ PUBLIC_COMPONENTS: '1,2,3', STATUS_PAGE_NAME: 'Acme' })

/**
 * Statuspage's public shapes, written from ../shared/statuspage-v2.md alone
 * (no knowledge of this service): what a client that reads Statuspage pages
 * relies on.
 */
const nullable = (type: string) => ({ anyOf: [{ type }, { type: 'null' }] })
const PAGE = {
  type: 'object',
  required: ['id', 'name', 'url', 'time_zone', 'updated_at'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    time_zone: { type: 'string' },
    url: nullable('string'),
    updated_at: nullable('string'),
  },
}
const COMPONENT = {
  type: 'object',
  required: [
    'id',
    'name',
    'status',
    'created_at',
    'updated_at',
    'position',
    'description',
    'showcase',
    'start_date',
    'group_id',
    'page_id',
    'group',
    'only_show_if_degraded',
  ],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { enum: ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] },
    position: { type: 'integer' },
    group: { type: 'boolean' },
    showcase: { type: 'boolean' },
    only_show_if_degraded: { type: 'boolean' },
    page_id: { type: 'string' },
  },
}
const INCIDENT = {
  type: 'object',
  required: [
    'id',
    'name',
    'status',
    'impact',
    'created_at',
    'updated_at',
    'monitoring_at',
    'resolved_at',
    'shortlink',
    'page_id',
    'incident_updates',
  ],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] },
    impact: { anyOf: [{ enum: ['none', 'minor', 'major', 'critical'] }, { type: 'null' }] },
    incident_updates: { type: 'array' },
  },
}
const STATUS = {
  type: 'object',
  required: ['indicator', 'description'],
  properties: { indicator: { enum: ['none', 'minor', 'major', 'critical'] }, description: { type: 'string' } },
}
const DOCUMENTS = {
  '/api/v2/status.json': { type: 'object', required: ['page', 'status'], properties: { page: PAGE, status: STATUS } },
  '/api/v2/components.json': {
    type: 'object',
    required: ['page', 'components'],
    properties: { page: PAGE, components: { type: 'array', items: COMPONENT } },
  },
  '/api/v2/incidents/unresolved.json': {
    type: 'object',
    required: ['page', 'incidents'],
    properties: { page: PAGE, incidents: { type: 'array', items: INCIDENT } },
  },
  '/api/v2/incidents.json': {
    type: 'object',
    required: ['page', 'incidents'],
    properties: { page: PAGE, incidents: { type: 'array', items: INCIDENT } },
  },
  '/api/v2/summary.json': {
    type: 'object',
    required: ['page', 'status', 'components', 'incidents', 'scheduled_maintenances'],
    properties: {
      page: PAGE,
      status: STATUS,
      components: { type: 'array', items: COMPONENT },
      incidents: { type: 'array', items: INCIDENT },
      scheduled_maintenances: { type: 'array' },
    },
  },
  '/api/v2/scheduled-maintenances.json': {
    type: 'object',
    required: ['page', 'scheduled_maintenances'],
    properties: { page: PAGE },
  },
  '/api/v2/scheduled-maintenances/upcoming.json': {
    type: 'object',
    required: ['page', 'scheduled_maintenances'],
    properties: { page: PAGE },
  },
  '/api/v2/scheduled-maintenances/active.json': {
    type: 'object',
    required: ['page', 'scheduled_maintenances'],
    properties: { page: PAGE },
  },
} as const

const INCIDENTS = [
  {
    id: 11,
    title: 'Elevated latency on the API',
    status: 'identified',
    severity: 'minor',
    monitor_id: 2,
    started_at: '2026-02-07 10:00:00',
  },
  { id: 12, title: 'Secret datacenter move in rack 9', status: 'investigating', monitor_id: 4 },
  { title: 'Mail delays for everyone', started_at: '2026-02-07T11:00:00Z' },
]

const EXPECTED: Record<ScenarioName, { indicator: string; description: string }> = {
  operational: { indicator: 'none', description: 'All Systems Operational' },
  degraded: { indicator: 'minor', description: 'Minor Service Outage' },
  partial_outage: { indicator: 'major', description: 'Partial System Outage' },
  major_outage: { indicator: 'critical', description: 'Major Service Outage' },
  maintenance: { indicator: 'minor', description: 'Service Under Maintenance' },
  unknown: { indicator: 'minor', description: 'Status Unknown' },
}

describe('the Statuspage v2 API', () => {
  it.each(Object.keys(DOCUMENTS))(
    '%s has the shape Statuspage clients read, with the JSON caching and CORS',
    async (url) => {
      t.upstream.state.incidents = INCIDENTS
      const app = await t.ready({ PUBLIC_INCIDENTS: 'true' })
      const response = await app.inject({ url, headers: { origin: 'https://dash.example' } })
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
      expect(response.headers['access-control-allow-origin']).toBe('*')
      expect(response.headers['cache-control']).toMatch(/^public, max-age=60/)
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(matchesSchema(DOCUMENTS[url as keyof typeof DOCUMENTS], response.json()), response.body).toBe(true)
      const again = await app.inject({ url, headers: { 'if-none-match': String(response.headers.etag) } })
      expect(again.statusCode).toBe(304)
    },
  )

  it.each(SCENARIO_NAMES)('says %s in Statuspage words, from the one table', async (scenario) => {
    t.upstream.setScenario(scenario)
    const app = await t.ready()
    expect((await app.inject('/api/v2/status.json')).json()).toMatchObject({
      page: { name: 'Acme', url: null, time_zone: 'Etc/UTC' },
      status: { ...EXPECTED[scenario], stale: false },
    })
  })

  it('names the page after BADGE_LABEL by default, and its URL after PUBLIC_URL', async () => {
    const app = await t.ready({
      STATUS_PAGE_NAME: '',
      BADGE_LABEL: 'our API',
      PUBLIC_URL: 'https://status.example.com',
    })
    const { page } = (await app.inject('/api/v2/status.json')).json<{ page: Record<string, unknown> }>()
    expect(page).toMatchObject({
      name: 'our API',
      url: 'https://status.example.com',
      id: expect.stringMatching(/^[0-9a-f]{12}$/) as string,
    })
  })

  it('lists the public components only, in Statuspage vocabulary, never a target', async () => {
    t.upstream.state.monitors = t.upstream.state.monitors.map((m, i) => ({
      ...m,
      status: ['up', 'pending', 'down', 'up', 'up'][i] ?? 'up',
    }))
    const app = await t.ready()
    const response = await app.inject('/api/v2/components.json')
    const { components } = response.json<{ components: Array<Record<string, unknown>> }>()
    expect(components.map((c) => [c.id, c.name, c.status, c.position])).toEqual([
      ['1', 'Web Server', 'operational', 1],
      ['2', 'API', 'degraded_performance', 2],
      ['3', 'Database', 'major_outage', 3],
    ])
    expect(components[0]).toMatchObject({
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-02-07T12:00:00.000Z',
      group_id: null,
    })
    for (const url of Object.keys(DOCUMENTS)) {
      const { body } = await app.inject(url)
      expect(body).not.toMatch(/Mail|DNS|10\.0\.0\.|"type"/)
    }
  })

  it('shows no incident, anywhere, unless PUBLIC_INCIDENTS is true', async () => {
    t.upstream.state.incidents = INCIDENTS
    const app = await t.ready()
    const urls = [...Object.keys(DOCUMENTS), '/badge.json', '/', '/components.json', '/badge.shields.json']
    for (const url of urls) {
      const response = await app.inject(url)
      expect(response.body, url).not.toMatch(/latency|datacenter|Mail delays/)
    }
    expect((await app.inject('/api/v2/incidents/unresolved.json')).json()).toMatchObject({ incidents: [] })
    expect((await app.inject('/badge.json')).json()).not.toHaveProperty('incidents')
  })

  it('with PUBLIC_INCIDENTS, publishes the active ones, except those of hidden monitors', async () => {
    t.upstream.state.incidents = INCIDENTS
    const app = await t.ready({ PUBLIC_INCIDENTS: 'true' })
    const { incidents } = (await app.inject('/api/v2/incidents/unresolved.json')).json<{
      incidents: Array<Record<string, unknown>>
    }>()
    expect(incidents.map((i) => [i.id, i.name, i.status, i.impact, i.created_at])).toEqual([
      ['11', 'Elevated latency on the API', 'identified', 'minor', '2026-02-07T10:00:00.000Z'],
      [
        expect.stringMatching(/^[0-9a-f]{12}$/),
        'Mail delays for everyone',
        'investigating',
        null,
        '2026-02-07T11:00:00.000Z',
      ],
    ])
    expect((await app.inject('/api/v2/summary.json')).json()).toMatchObject({
      incidents: [{ id: '11' }, { name: 'Mail delays for everyone' }],
    })
    expect((await app.inject('/badge.json')).json()).toMatchObject({
      incidents: { count: 2, titles: ['Elevated latency on the API', 'Mail delays for everyone'] },
    })
    const page = (await app.inject('/')).body
    expect(page).toContain('<li>Elevated latency on the API</li>')
    expect(page).not.toContain('datacenter')
  })
})

describe('a Statuspage client that knows nothing of this service', () => {
  it('reads status, components, incidents and maintenances without error (statuspage.io 3.3.8)', async () => {
    t.upstream.state.incidents = INCIDENTS
    const app: App = await t.ready({ PUBLIC_INCIDENTS: 'true' })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const client = new Statuspage('anything')
    // The client's axios instance is aimed at https://<id>.statuspage.io: pointed here instead.
    ;(client as unknown as { apiClient: { defaults: { baseURL: string } } }).apiClient.defaults.baseURL =
      `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    expect(await client.api.getStatus()).toMatchObject({ status: { indicator: 'none' } })
    expect((await client.api.getComponents()).components).toHaveLength(3)
    expect((await client.api.getSummary()).incidents).toHaveLength(2)
    expect((await client.api.incidents.getUnresolved()).incidents).toHaveLength(2)
    expect((await client.api.incidents.getAll()).incidents).toHaveLength(2)
    expect((await client.api.scheduledMaintenances.getAll()).scheduled_maintenances).toEqual([])
    expect((await client.api.scheduledMaintenances.getUpcoming()).scheduled_maintenances).toEqual([])
    expect((await client.api.scheduledMaintenances.getActive()).scheduled_maintenances).toEqual([])
  })
})
