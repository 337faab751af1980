import { describe, expect, it } from 'vitest'
import { count, flag, id, parseUpstreamTime, percentage, text, timestamp } from '../../src/upstream/lenient.js'
import { isStatusEnvelope, readMonitors, readStatus } from '../../src/upstream/schema.js'
import { createUntrusted } from '../../src/upstream/untrusted.js'
import { TEST_API_KEY } from '../helper.js'

const untrusted = createUntrusted(TEST_API_KEY)

describe('lenient readers', () => {
  it.each([
    [4, 4],
    ['4', 4],
    [' 4 ', 4],
    [0, 0],
    ['0', 0],
    [null, undefined],
    ['', undefined],
    [undefined, undefined],
    [-1, undefined],
    ['4.5', undefined],
    ['four', undefined],
    [true, undefined],
  ])('count %j → %j', (input, expected) => {
    expect(count(input)).toBe(expected)
  })

  it.each([
    [80, 80],
    ['80.0', 80],
    ['99.95', 99.95],
    ['99.95%', 99.95],
    [100, 100],
    [100.5, undefined],
    ['-3', undefined],
    ['n/a', undefined],
  ])('percentage %j → %j', (input, expected) => {
    expect(percentage(input)).toBe(expected)
  })

  it.each([
    [1, true],
    [0, false],
    ['1', true],
    ['0', false],
    [true, true],
    [false, false],
    ['true', true],
    ['FALSE', false],
    [2, undefined],
    ['maybe', undefined],
  ])('flag %j → %j', (input, expected) => {
    expect(flag(input)).toBe(expected)
  })

  it('reads text from strings and numbers', () => {
    expect(text('  Web Server ')).toBe('Web Server')
    expect(text(42)).toBe('42')
    expect(text({})).toBeUndefined()
  })

  it('reads ids as numbers or URL-safe strings', () => {
    expect(id(1)).toBe('1')
    expect(id('17')).toBe('17')
    expect(id('web-1')).toBe('web-1')
    expect(id('../etc')).toBeUndefined()
    expect(id(-1)).toBeUndefined()
    expect(id(2 ** 60)).toBeUndefined()
  })
})

describe('timestamps', () => {
  it.each([
    ['2026-02-07T12:00:00+00:00', '2026-02-07T12:00:00.000Z'],
    ['2026-02-07T14:00:00+02:00', '2026-02-07T12:00:00.000Z'],
    ['2026-02-07T12:00:00Z', '2026-02-07T12:00:00.000Z'],
    ['2026-02-07 12:00:00', '2026-02-07T12:00:00.000Z'],
    ['2026-02-07T12:00:00', '2026-02-07T12:00:00.000Z'],
    ['yesterday', undefined],
    ['2026-13-45 99:00:00', undefined],
    ['12/02/2026', undefined],
  ])('%j → %j', (input, expected) => {
    expect(parseUpstreamTime(input)).toBe(expected)
    expect(timestamp(input)).toBe(expected)
  })
})

describe('readStatus', () => {
  it('reads the documented example', () => {
    const data = readStatus(
      {
        status: {
          total: 5,
          up: 4,
          down: 1,
          pending: 0,
          paused: 0,
          overall_status: 'degraded',
          uptime_percentage: 80.0,
        },
        active_incidents: [],
        timestamp: '2026-02-07T12:00:00+00:00',
      },
      untrusted,
    )
    expect(data).toEqual({
      overall: 'degraded',
      counts: { total: 5, up: 4, down: 1, pending: 0, paused: 0 },
      uptimePercentage: 80,
      activeIncidents: 0,
      incidents: [],
      upstreamTime: '2026-02-07T12:00:00.000Z',
    })
  })

  it('reads PHP-style strings and ignores unknown fields', () => {
    const data = readStatus(
      {
        status: {
          total: '5',
          up: '4',
          down: '1',
          overall_status: 'Partial Outage',
          uptime_percentage: '80.0',
          region: 'eu',
        },
        timestamp: '2026-02-07 12:00:00',
        extra: { anything: true },
      },
      untrusted,
    )
    expect(data.counts).toEqual({ total: 5, up: 4, down: 1, pending: undefined, paused: undefined })
    expect(data.overall).toBe('Partial Outage')
    expect(data.uptimePercentage).toBe(80)
    expect(data.upstreamTime).toBe('2026-02-07T12:00:00.000Z')
    expect(data.activeIncidents).toBeUndefined()
  })

  it('tolerates missing fields but not a missing status object', () => {
    expect(readStatus({ status: {} }, untrusted).counts.total).toBeUndefined()
    expect(isStatusEnvelope({ success: true, data: {} })).toBe(false)
    expect(isStatusEnvelope({ success: true, data: { status: 'up' } })).toBe(false)
    expect(isStatusEnvelope({ success: '1', data: { status: {} } })).toBe(true)
    expect(isStatusEnvelope({ success: false, data: { status: {} } })).toBe(false)
  })
})

describe('readMonitors', () => {
  it('keeps what badges need and drops target and type', () => {
    const parsed = readMonitors(
      [
        {
          id: '3',
          name: 'DB',
          type: 'tcp',
          target: '10.0.0.3:5432',
          status: 'down',
          is_active: '1',
          created_at: '2026-01-01 00:00:00',
        },
      ],
      untrusted,
    )
    expect(parsed).toEqual({
      monitors: [
        {
          id: '3',
          name: 'DB',
          status: 'down',
          active: true,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: undefined,
        },
      ],
      skipped: 0,
      duplicates: 0,
    })
    expect(JSON.stringify(parsed)).not.toContain('10.0.0.3')
  })

  it('names a nameless monitor after its id', () => {
    expect(readMonitors([{ id: 9 }], untrusted).monitors[0]?.name).toBe('monitor 9')
    // A name of nothing but controls is no name either.
    expect(readMonitors([{ id: 9, name: '\u0000\u0007' }], untrusted).monitors[0]?.name).toBe('monitor 9')
  })

  it('leaves out items without a usable id, counting them', () => {
    expect(readMonitors([{ id: '../x' }, 'up', null, { name: 'no id' }, { id: 1 }], untrusted)).toEqual({
      monitors: [
        {
          id: '1',
          name: 'monitor 1',
          status: undefined,
          active: undefined,
          createdAt: undefined,
          updatedAt: undefined,
        },
      ],
      skipped: 4,
      duplicates: 0,
    })
  })

  it('keeps the first of items with the same id, however the id was written', () => {
    const parsed = readMonitors(
      [
        { id: 1, name: 'First', status: 'up' },
        { id: '1', name: 'Second', status: 'down' },
        { id: ' 1 ', name: 'Third', status: 'paused' },
        { id: 2, name: 'Other', status: 'up' },
      ],
      untrusted,
    )
    expect(parsed.monitors.map((m) => [m.id, m.name])).toEqual([
      ['1', 'First'],
      ['2', 'Other'],
    ])
    expect(parsed).toMatchObject({ skipped: 0, duplicates: 2 })
  })

  it('refuses an id that holds the key (an id is published as it is), and cuts the key out of names', () => {
    const key = 'AbC123xyz789'
    const own = createUntrusted(key)
    const parsed = readMonitors(
      [
        { id: key.toLowerCase(), name: 'probe' },
        { id: `x_${key}`, name: 'probe' },
        { id: 7, name: `the key is ${key}\u0000!` },
      ],
      own,
    )
    expect(parsed.monitors).toEqual([
      {
        id: '7',
        name: 'the key is [redacted]!',
        status: undefined,
        active: undefined,
        createdAt: undefined,
        updatedAt: undefined,
      },
    ])
    expect(parsed.skipped).toBe(2)
  })
})

describe('active incidents', () => {
  const status = { total: 1, up: 1, down: 0 }
  it('reads the usual spellings of each field, and a bare string as a title', () => {
    const { incidents } = readStatus(
      {
        status,
        active_incidents: [
          {
            id: 7,
            title: 'Elevated latency',
            status: 'identified',
            severity: 'minor',
            monitor_id: '2',
            started_at: '2026-02-07 10:00:00',
          },
          { name: 'DNS outage', state: 'investigating', monitor: { id: 3 }, created_at: '2026-02-07T11:00:00Z' },
          'Database failover',
        ],
      },
      untrusted,
    )
    expect(incidents).toEqual([
      {
        id: '7',
        title: 'Elevated latency',
        status: 'identified',
        impact: 'minor',
        monitorId: '2',
        startedAt: '2026-02-07T10:00:00.000Z',
        updatedAt: undefined,
      },
      {
        id: undefined,
        title: 'DNS outage',
        status: 'investigating',
        impact: undefined,
        monitorId: '3',
        startedAt: '2026-02-07T11:00:00.000Z',
        updatedAt: undefined,
      },
      {
        id: undefined,
        title: 'Database failover',
        status: undefined,
        impact: undefined,
        monitorId: undefined,
        startedAt: undefined,
        updatedAt: undefined,
      },
    ])
  })

  it('puts titles through the one sanitiser and leaves out incidents whose ids hold the key', () => {
    const key = 'AbC123xyz789'
    const own = createUntrusted(key)
    const { incidents } = readStatus(
      {
        status,
        active_incidents: [
          { id: 1, title: `key ${key.toLowerCase()}\u0000 leaked\u202e` },
          { id: 2, name: 'long '.repeat(100) },
          `bare ${encodeURIComponent(key)}\u0007`,
          { id: 3, title: '\u0000\u0001' },
          { id: `x_${key}`, title: 'its id holds the key' },
          { id: 4, monitor_id: key, title: 'its monitor id holds the key' },
        ],
      },
      own,
    )
    expect(incidents.map((incident) => incident.title)).toEqual([
      'key [redacted] leaked',
      expect.stringMatching(/^(long ){39}long…$/),
      'bare [redacted]',
      undefined,
    ])
    expect(incidents.map((incident) => incident.id)).toEqual(['1', '2', undefined, '3'])
    expect(incidents.every((incident) => (incident.title ?? '').length <= 200)).toBe(true)
  })

  it('leaves out what is not an incident, and reads at most 100', () => {
    expect(readStatus({ status, active_incidents: [null, 3, [], ''] }, untrusted).incidents).toEqual([])
    expect(readStatus({ status, active_incidents: 'none' }, untrusted).incidents).toEqual([])
    expect(
      readStatus({ status, active_incidents: Array.from({ length: 500 }, (_, i) => `incident ${i}`) }, untrusted)
        .incidents,
    ).toHaveLength(100)
  })
})
