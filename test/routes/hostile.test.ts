import { describe, expect, it } from 'vitest'
import { useUpstream } from '../helper.js'
import { decodePng } from '../png.js'
import { svgFacts } from '../svg.js'

const upstream = useUpstream({ PUBLIC_COMPONENTS: '*' })

const SCRIPT = '<script>alert(1)</script>'
const LONG = 'x'.repeat(65)
const HUGE = 'y'.repeat(20_000)

/** Each new parameter, the route it is read on, and values it must refuse as itself. */
const REFUSED: ReadonlyArray<readonly [name: string, route: string, values: readonly string[]]> = [
  ['majorOutageMessage', '/badge', [LONG, HUGE, '\u0001', '']],
  ['unknownMessage', '/components/1/badge', [LONG, '\u007f']],
  ['operationalColor', '/badge', [SCRIPT, 'javascript:alert(1)', '#12', 'blackish', HUGE]],
  ['partialOutageColor', '/components/badge?ids=1', ['url(#x)', '"><svg onload=alert(1)>']],
  ['logo', '/badge', [SCRIPT, 'https://evil.example/x.svg', 'data:image/png;base64,iVBORw0KGgo=', HUGE]],
  ['logoColor', '/badge?logo=github', [SCRIPT, 'red;fill:url(x)']],
  ['theme', '/uptime/badge', [SCRIPT, 'Dark', 'dark ']],
]

const url = (route: string, format: string, query: string) => {
  const [path, own] = route.split('?')
  return `${path}.${format}?${[own, query].filter(Boolean).join('&')}`
}

describe.each(REFUSED)('%s, hostile', (name, route, values) => {
  it.each(values.map((value) => [value.length > 40 ? `${value.slice(0, 20)}… (${value.length})` : value, value]))(
    '%j: an "invalid %s" error badge, HTTP 200, in SVG and PNG, nothing reflected',
    async (_shown, value) => {
      const app = await upstream.ready()
      const query = `${name}=${encodeURIComponent(value)}`
      const svg = await app.inject(url(route, 'svg', query))
      expect(svg.statusCode).toBe(200)
      expect(svg.headers['x-badge-error']).toBe(`invalid ${name}`)
      expect(svgFacts(svg.body).texts[1]).toBe(`invalid ${name}`)
      expect(svg.headers['cache-control']).toBe('public, max-age=5, s-maxage=5')
      if (value.length > 2) expect(svg.body).not.toContain(value)
      expect(svg.body).not.toMatch(/<script|onload|evil/i)
      const png = await app.inject(url(route, 'png', query))
      expect(png.statusCode).toBe(200)
      expect(png.headers['content-type']).toBe('image/png')
      expect(png.headers['x-badge-error']).toBe(`invalid ${name}`)
      expect(decodePng(png.rawPayload).height).toBe(40)
    },
  )

  it('given twice (an array, not a string): refused as itself', async () => {
    const app = await upstream.ready()
    const valid = name.endsWith('Message') ? 'a' : name === 'theme' ? 'dark' : name === 'logo' ? 'github' : 'red'
    const query = `${name}=${valid}&${name}=${valid}`
    for (const format of ['svg', 'png']) {
      const response = await app.inject(url(route, format, query))
      expect(response.statusCode).toBe(200)
      expect(response.headers['x-badge-error']).toBe(`invalid ${name}`)
    }
  })
})

describe('script-like words are text', () => {
  it('draws a state message holding markup escaped, never as markup', async () => {
    const app = await upstream.ready()
    const svg = await app.inject(`/badge.svg?operationalMessage=${encodeURIComponent(SCRIPT)}`)
    expect(svg.headers['x-badge-error']).toBeUndefined()
    expect(svgFacts(svg.body).texts[1]).toBe(SCRIPT)
    expect(svg.body).not.toContain(SCRIPT)
    expect(svg.body).toContain('&lt;script&gt;')
    const json = await app.inject(`/badge.json?operationalMessage=${encodeURIComponent(SCRIPT)}`)
    expect(json.json()).toMatchObject({ message: SCRIPT })
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8')
  })

  it('answers the JSON of a hostile state parameter with 400 and its name, never a 5xx', async () => {
    const app = await upstream.ready()
    for (const path of ['/badge.json', '/components/1/badge.json', '/components/badge.json?ids=1']) {
      const separator = path.includes('?') ? '&' : '?'
      const response = await app.inject(`${path}${separator}degradedColor=${encodeURIComponent(SCRIPT)}`)
      expect(response.statusCode, path).toBe(400)
      expect(response.json()).toEqual({ error: 'invalid degradedColor' })
    }
  })
})
