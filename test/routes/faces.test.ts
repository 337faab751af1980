import { describe, expect, it } from 'vitest'
import { BADGE_COLORS } from '../../src/badge/colors.js'
import { FACE_STATES } from '../../src/badge/states.js'
import { DARK_COLORS, DARK_LABEL_COLOR } from '../../src/badge/themes.js'
import { useUpstream } from '../helper.js'
import { svgFacts } from '../svg.js'

const upstream = useUpstream({ PUBLIC_COMPONENTS: '*' })
/** The first <rect>'s fill: the label side. */
const labelFill = (svg: string) => /<rect width="\d+" height="\d+" fill="(#[0-9a-f]+)"/.exec(svg)?.[1]

describe('words and colours per state', () => {
  it.each([
    ['operational', 'operational', '/badge'],
    ['degraded', 'degraded', '/badge'],
    ['partial_outage', 'partialOutage', '/badge'],
    ['major_outage', 'majorOutage', '/badge'],
    ['maintenance', 'maintenance', '/badge'],
    ['unknown', 'unknown', '/badge'],
  ] as const)('the overall badge in %s takes %sMessage and %sColor', async (scenario, state, path) => {
    upstream.upstream.setScenario(scenario)
    const app = await upstream.ready()
    const others = FACE_STATES.filter((s) => s !== state)
      .map((s) => `${s}Message=not-${s}&${s}Color=000000`)
      .join('&')
    const svg = await app.inject(`${path}.svg?${state}Message=ours&${state}Color=ff8800&${others}`)
    expect(svg.headers['x-badge-error']).toBeUndefined()
    expect(svgFacts(svg.body).texts[1]).toBe('ours')
    expect(svgFacts(svg.body).messageFill).toBe('#ff8800')
    const json = (await app.inject(`${path}.json?${state}Message=ours&${state}Color=f80`)).json<
      Record<string, unknown>
    >()
    expect(json).toMatchObject({ message: 'ours', color: '#ff8800' })
    const shields: unknown = (await app.inject(`${path}.shields.json?${state}Message=ours&${state}Color=red`)).json()
    expect(shields).toMatchObject({ message: 'ours', color: 'red' })
  })

  it.each([
    ['1', 'up', 'operational'],
    ['1', 'down', 'majorOutage'],
    ['1', 'pending', 'degraded'],
    ['1', 'paused', 'maintenance'],
    ['1', 'flapping', 'unknown'],
  ])('component %s %s counts as %s', async (id, status, state) => {
    upstream.upstream.state.monitors = [
      { id: 1, name: 'Web', type: 'https', target: 'https://10.0.0.1/', status, is_active: 1 },
    ]
    const app = await upstream.ready()
    const svg = await app.inject(`/components/${id}/badge.svg?${state}Message=chosen&${state}Color=black`)
    expect(svg.headers['x-badge-error']).toBeUndefined()
    expect(svgFacts(svg.body).texts).toEqual(['Web', 'chosen'])
    expect(svgFacts(svg.body).messageFill).toBe('black')
    const json = await app.inject(`/components/${id}/badge.json?${state}Message=chosen&${state}Color=black`)
    expect(json.json()).toMatchObject({ message: 'chosen', color: '#000000' })
    const shields = await app.inject(`/components/${id}/badge.shields.json?${state}Message=chosen&${state}Color=black`)
    expect(shields.json()).toMatchObject({ message: 'chosen', color: 'black' })
    const hex = await app.inject(`/components/${id}/badge.svg?${state}Message=chosen&${state}Color=111111`)
    expect(svgFacts(hex.body).messageFill).toBe('#111111')
    const wrong = await app.inject(`/components/${id}/badge.svg?${state}Message=chosen&${state}Color=blackish`)
    expect(wrong.headers['x-badge-error']).toBe(`invalid ${state}Color`)
  })

  it('a state colour beats color=, which does not touch "unknown"; unknownColor does', async () => {
    upstream.upstream.setScenario('unknown')
    const app = await upstream.ready()
    expect(svgFacts((await app.inject('/badge.svg?color=blue')).body).messageFill).toBe(BADGE_COLORS.lightgrey)
    expect(svgFacts((await app.inject('/badge.svg?color=blue&unknownColor=222222')).body).messageFill).toBe('#222222')
  })

  it('leaves the uptime badge and error badges alone', async () => {
    const app = await upstream.ready()
    const uptime = await app.inject('/uptime/badge.svg?operationalMessage=fine')
    expect(svgFacts(uptime.body).texts[1]).toBe('100%')
    const error = await app.inject('/badge.svg?style=nope&operationalMessage=fine&operationalColor=123456')
    expect(svgFacts(error.body).texts[1]).toBe('invalid style')
    expect(svgFacts(error.body).messageFill).toBe(BADGE_COLORS.red)
  })

  it('keys the variant on the words and colours, canonically', async () => {
    const app = await upstream.ready()
    const a = await app.inject('/badge.svg?operationalColor=F80&operationalMessage=ok')
    const b = await app.inject('/badge.svg?operationalMessage=ok&operationalColor=%23ff8800')
    expect(b.body).toBe(a.body)
    // Asked for twice, the variant is kept: a third spelling is a hit.
    await app.inject('/badge.svg?operationalMessage=ok&operationalColor=FF8800')
    expect(app.caches.badges.stats().hits).toBe(1)
    const c = await app.inject('/badge.svg?operationalMessage=ok2&operationalColor=ff8800')
    expect(c.body).not.toBe(a.body)
  })
})

describe('the service-wide words and colours (BADGE_MESSAGES, BADGE_COLORS)', () => {
  it('apply to every status badge, in every format, and a query still wins', async () => {
    upstream.upstream.setScenario('major_outage')
    const app = await upstream.ready({
      BADGE_MESSAGES: 'majorOutage=down%2C%20sorry,operational=all%20good',
      BADGE_COLORS: 'majorOutage=222222,operational=blue',
    })
    const svg = svgFacts((await app.inject('/badge.svg')).body)
    expect(svg).toMatchObject({ texts: ['status', 'down, sorry'], messageFill: '#222222' })
    expect((await app.inject('/badge.json')).json()).toMatchObject({ message: 'down, sorry', color: '#222222' })
    expect(svgFacts((await app.inject('/components/1/badge.svg')).body).texts[1]).toBe('down, sorry')
    expect(svgFacts((await app.inject('/components/badge.svg?ids=1,2')).body).texts[1]).toBe('down, sorry')
    expect(svgFacts((await app.inject('/badge.svg?majorOutageMessage=mine')).body).texts[1]).toBe('mine')
  })
})

describe('theme=dark', () => {
  it('draws the label and the named colours in the dark palette; hex colours as given', async () => {
    const app = await upstream.ready()
    const dark = (await app.inject('/badge.svg?theme=dark')).body
    expect(labelFill(dark)).toBe(DARK_LABEL_COLOR)
    expect(svgFacts(dark).messageFill).toBe(DARK_COLORS.brightgreen)
    expect(svgFacts((await app.inject('/badge.svg?theme=dark&color=abcdef')).body).messageFill).toBe('#abcdef')
    expect(labelFill((await app.inject('/badge.svg?theme=dark&labelColor=123456')).body)).toBe('#123456')
    expect((await app.inject('/badge.svg?theme=light')).body).toBe((await app.inject('/badge.svg')).body)
  })

  it('keeps error badges in their own colours', async () => {
    const app = await upstream.ready()
    const error = await app.inject('/badge.svg?theme=dark&style=nope')
    expect(svgFacts(error.body).messageFill).toBe(BADGE_COLORS.red)
  })
})
