import { describe, expect, it } from 'vitest'
import { matchesSchema, UPTIME_BADGE_JSON } from '../schema.js'
import type { App } from '../../src/app.js'
import { BADGE_COLORS } from '../../src/badge/colors.js'
import { useUpstream } from '../helper.js'
import { svgFacts } from '../svg.js'

const t = useUpstream()

async function withUptime(uptime: number | string | undefined): Promise<App> {
  t.upstream.state = { ...t.upstream.state, uptime_percentage: uptime }
  return t.ready()
}

describe('the uptime badge', () => {
  it.each([
    [100, '100%', 'brightgreen'],
    ['99.95', '99.95%', 'brightgreen'],
    [99.5, '99.5%', 'green'],
    ['80.0', '80%', 'orange'],
    [60, '60%', 'red'],
    [undefined, 'unknown', 'lightgrey'],
    ['n/a', 'unknown', 'lightgrey'],
  ] as const)('uptime_percentage %j reads %s in %s', async (uptime, message, color) => {
    const app = await withUptime(uptime)
    const svg = await app.inject('/uptime/badge.svg')
    expect(svgFacts(svg.body).texts).toEqual(['uptime', message])
    expect(svgFacts(svg.body).messageFill).toBe(BADGE_COLORS[color])

    const json = await app.inject('/uptime/badge.json')
    const body: unknown = json.json()
    expect(matchesSchema(UPTIME_BADGE_JSON, body)).toBe(true)
    expect(body).toMatchObject({
      uptime: message === 'unknown' ? null : Number(uptime),
      label: 'uptime',
      message,
      color: BADGE_COLORS[color],
      stale: false,
    })
  })
})
