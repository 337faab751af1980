import { describe, expect, it } from 'vitest'
import { BADGE_COLORS } from '../../src/badge/colors.js'
import { useUpstream } from '../helper.js'
import { decodePng, pixelAt } from '../png.js'

const env = { PUBLIC_COMPONENTS: '*' }
const upstream = useUpstream(env)

const ROUTES = ['/badge', '/uptime/badge', '/components/1/badge', '/components/badge?ids=1,2']
const at = (route: string, format: string, query = '') => {
  const [path, own] = route.split('?')
  const params = [own, query].filter(Boolean).join('&')
  return `${path}.${format}${params ? `?${params}` : ''}`
}
const svgSize = (svg: string) => {
  const [, width, height] = /<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg) ?? []
  return { width: Number(width), height: Number(height) }
}

describe.each(ROUTES)('%s.png', (route) => {
  it.each(['', 'style=for-the-badge', 'logo=github&label=repo', 'theme=dark', 'style=social'])(
    '?%s: a PNG that decodes, the SVG at 2x',
    async (query) => {
      const app = await upstream.ready()
      const svg = await app.inject(at(route, 'svg', query))
      const png = await app.inject(at(route, 'png', query))
      expect(png.statusCode).toBe(200)
      expect(png.headers['content-type']).toBe('image/png')
      expect(png.headers['x-badge-error']).toBeUndefined()
      const image = decodePng(png.rawPayload)
      const { width, height } = svgSize(svg.body)
      // for-the-badge widths come in quarter units: 2x of those rounds up to a whole pixel.
      expect({ width: image.width, height: image.height }).toEqual({ width: Math.ceil(2 * width), height: 2 * height })
      expect(Math.abs(image.width / image.height - width / height) * image.height).toBeLessThan(0.51)
      expect(png.headers['cache-control']).toBe(svg.headers['cache-control'])
    },
  )

  it('has validators, and answers 304 when they match', async () => {
    const app = await upstream.ready()
    const png = await app.inject(at(route, 'png'))
    expect(png.headers.etag).toMatch(/^"[\w-]{27}"$/)
    expect(png.headers['last-modified']).toBeDefined()
    const again = await app.inject({ url: at(route, 'png'), headers: { 'if-none-match': String(png.headers.etag) } })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
  })
})

describe('PNG badges', () => {
  it('draw the state colour (flat-square has no gradient)', async () => {
    const app = await upstream.ready()
    const image = decodePng((await app.inject('/badge.png?style=flat-square')).rawPayload)
    expect(pixelAt(image, image.width - 2, 2)).toBe(BADGE_COLORS.brightgreen)
    const custom = decodePng((await app.inject('/badge.png?style=flat-square&operationalColor=123456')).rawPayload)
    expect(pixelAt(custom, custom.width - 2, 2)).toBe('#123456')
  })

  it('are rendered once per distinct badge, however many ask for it at once', async () => {
    const app = await upstream.ready()
    const before = app.caches.rasters.stats().prepared
    const answers = await Promise.all(Array.from({ length: 8 }, () => app.inject('/badge.png?label=once')))
    expect(new Set(answers.map((a) => a.headers.etag)).size).toBe(1)
    await app.inject('/badge.png?label=once')
    expect(app.caches.rasters.stats().prepared - before).toBe(1)
  })

  it.each([
    ['style=nope', 'invalid style'],
    ['logo=data:image/png;base64,iVBORw0KGgo=', 'invalid logo'],
    ['logo=nosuchiconanywhere', 'invalid logo'],
    ['theme=%3Cscript%3E', 'invalid theme'],
  ])('?%s: a PNG error badge, HTTP 200', async (query, reason) => {
    const app = await upstream.ready()
    const response = await app.inject(`/badge.png?${query}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('image/png')
    expect(response.headers['x-badge-error']).toBe(reason)
    expect(response.headers['cache-control']).toBe('public, max-age=5, s-maxage=5')
    expect(response.headers.etag).toBeDefined()
    decodePng(response.rawPayload)
  })

  it('answers an unknown path ending in .png with a PNG "not found"', async () => {
    const app = await upstream.ready()
    const response = await app.inject('/no/such/badge.png')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('image/png')
    expect(response.headers['x-badge-error']).toBe('not found')
    decodePng(response.rawPayload)
  })

  it('a burst of distinct PNGs beyond the render bounds: the excess is a "busy" badge, never a 5xx', async () => {
    const app = await upstream.ready()
    const answers = await Promise.all(Array.from({ length: 80 }, (_, i) => app.inject(`/badge.png?label=burst-${i}`)))
    expect(answers.every((a) => a.statusCode === 200 && a.headers['content-type'] === 'image/png')).toBe(true)
    const reasons = answers.map((a) => a.headers['x-badge-error'])
    expect(reasons.filter((r) => r === 'busy').length).toBeGreaterThan(0)
    expect(reasons.filter((r) => r === undefined).length).toBeGreaterThan(0)
    // A busy answer is not kept: the same badge asked again, when the bounds have room, is drawn.
    const busy = answers.findIndex((a) => a.headers['x-badge-error'] === 'busy')
    const later = await app.inject(`/badge.png?label=burst-${busy}`)
    expect(later.headers['x-badge-error']).toBeUndefined()
    for (const answer of answers) decodePng(answer.rawPayload)
  })
})
