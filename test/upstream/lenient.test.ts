import { describe, expect, it } from 'vitest'
import { count, flag, id, parseUpstreamTime, percentage, text, timestamp } from '../../src/upstream/lenient.js'
import { monitor, statusData } from '../../src/upstream/schema.js'

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
    expect(count.parse(input)).toBe(expected)
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
    expect(percentage.parse(input)).toBe(expected)
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
    expect(flag.parse(input)).toBe(expected)
  })

  it('reads text from strings and numbers', () => {
    expect(text.parse('  Web Server ')).toBe('Web Server')
    expect(text.parse(42)).toBe('42')
    expect(text.parse({})).toBeUndefined()
  })

  it('reads ids as numbers or URL-safe strings', () => {
    expect(id.parse(1)).toBe('1')
    expect(id.parse('17')).toBe('17')
    expect(id.parse('web-1')).toBe('web-1')
    expect(id.safeParse('../etc').success).toBe(false)
    expect(id.safeParse(-1).success).toBe(false)
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
    expect(timestamp.parse(input)).toBe(expected)
  })
})

describe('statusData', () => {
  it('reads the documented example', () => {
    const data = statusData.parse({
      status: { total: 5, up: 4, down: 1, pending: 0, paused: 0, overall_status: 'degraded', uptime_percentage: 80.0 },
      active_incidents: [],
      timestamp: '2026-02-07T12:00:00+00:00',
    })
    expect(data).toEqual({
      overall: 'degraded',
      counts: { total: 5, up: 4, down: 1, pending: 0, paused: 0 },
      uptimePercentage: 80,
      activeIncidents: 0,
      upstreamTime: '2026-02-07T12:00:00.000Z',
    })
  })

  it('reads PHP-style strings and ignores unknown fields', () => {
    const data = statusData.parse({
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
    })
    expect(data.counts).toEqual({ total: 5, up: 4, down: 1, pending: undefined, paused: undefined })
    expect(data.overall).toBe('Partial Outage')
    expect(data.uptimePercentage).toBe(80)
    expect(data.upstreamTime).toBe('2026-02-07T12:00:00.000Z')
    expect(data.activeIncidents).toBeUndefined()
  })

  it('tolerates missing fields but not a missing status object', () => {
    expect(statusData.parse({ status: {} }).counts.total).toBeUndefined()
    expect(statusData.safeParse({}).success).toBe(false)
    expect(statusData.safeParse({ status: 'up' }).success).toBe(false)
  })
})

describe('monitor', () => {
  it('keeps what badges need and drops target and type', () => {
    const parsed = monitor.parse({
      id: '3',
      name: 'DB',
      type: 'tcp',
      target: '10.0.0.3:5432',
      status: 'down',
      is_active: '1',
      created_at: '2026-01-01 00:00:00',
    })
    expect(parsed).toEqual({ id: '3', name: 'DB', status: 'down', active: true })
    expect(JSON.stringify(parsed)).not.toContain('10.0.0.3')
  })

  it('names a nameless monitor after its id', () => {
    expect(monitor.parse({ id: 9 }).name).toBe('monitor 9')
  })
})
