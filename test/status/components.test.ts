import { describe, expect, it } from 'vitest'
import { createComponentCatalog, createComponentIndex } from '../../src/status/components.js'
import { monitorState } from '../../src/status/monitor-state.js'
import type { Snapshot } from '../../src/status/snapshot.js'
import type { MonitorsData } from '../../src/upstream/schema.js'

const DATA: MonitorsData = {
  monitors: [
    { id: '1', name: 'Web', status: 'up', active: true },
    { id: '2', name: 'DB', status: 'DOWN', active: true },
    { id: '3', name: 'Queue', status: 'up', active: false },
  ],
  skipped: 0,
  duplicates: 0,
}
/** What the catalog reads of a snapshot: the monitors' view and their index. */
const view = (data: MonitorsData | undefined, last = data): Snapshot =>
  ({
    monitors: {
      data,
      last,
      updatedAt: last ? '2026-11-26T12:00:00.000Z' : null,
      stale: false,
      asOf: 0,
      validUntil: Number.POSITIVE_INFINITY,
    },
    components: createComponentIndex(last),
  }) as unknown as Snapshot

describe('monitorState', () => {
  it.each([
    ['up', true, 'up'],
    ['UP', undefined, 'up'],
    ['online', true, 'up'],
    ['down', true, 'down'],
    ['Offline', true, 'down'],
    ['pending', true, 'pending'],
    ['paused', true, 'paused'],
    ['up', false, 'paused'],
    ['flapping', true, 'unknown'],
    [undefined, true, 'unknown'],
    ['constructor', true, 'unknown'],
  ] as const)('%j (active %j) → %s', (status, active, expected) => {
    expect(monitorState(status, active)).toBe(expected)
  })
})

describe('createComponentCatalog', () => {
  it('publishes nothing by default', () => {
    const catalog = createComponentCatalog(new Set())
    expect(catalog.list(view(DATA))).toEqual([])
    expect(catalog.lookup(view(DATA), '1')).toEqual({ kind: 'not-found' })
  })

  it('publishes the listed ids only, answering hidden and missing alike', () => {
    const catalog = createComponentCatalog(new Set(['2', '9']))
    expect(catalog.list(view(DATA))).toEqual([{ id: '2', name: 'DB', state: 'down' }])
    expect(catalog.lookup(view(DATA), '1')).toEqual(catalog.lookup(view(DATA), '9'))
    expect(catalog.lookup(view(DATA), '2')).toEqual({
      kind: 'found',
      component: { id: '2', name: 'DB', state: 'down' },
    })
  })

  it('publishes every monitor with "*"', () => {
    const catalog = createComponentCatalog('*')
    expect(catalog.list(view(DATA)).map((c) => c.state)).toEqual(['up', 'down', 'paused'])
  })

  it('says unknown for a public id until /monitors has answered once', () => {
    const catalog = createComponentCatalog('*')
    expect(catalog.lookup(view(undefined), '7')).toEqual({ kind: 'unknown', id: '7' })
    expect(catalog.list(view(undefined))).toEqual([])
  })

  it('keeps names but says unknown when the data is too old to show', () => {
    const catalog = createComponentCatalog('*')
    const expired = view(undefined, DATA)
    expect(catalog.lookup(expired, '1')).toEqual({
      kind: 'found',
      component: { id: '1', name: 'Web', state: 'unknown' },
    })
    expect(catalog.lookup(expired, '9')).toEqual({ kind: 'not-found' })
  })

  it('keeps the first of monitors listed twice under one id, in the list and in lookups', () => {
    const catalog = createComponentCatalog('*')
    const twice = view({
      monitors: [...DATA.monitors, { id: '1', name: 'Web again', status: 'down', active: true }],
      skipped: 0,
      duplicates: 0,
    })
    expect(catalog.list(twice).map((c) => c.id)).toEqual(['1', '2', '3'])
    expect(catalog.lookup(twice, '1')).toEqual({ kind: 'found', component: { id: '1', name: 'Web', state: 'up' } })
  })
})
