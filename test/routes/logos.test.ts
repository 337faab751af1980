import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BADGE_COLORS } from '../../src/badge/colors.js'
import { useUpstream } from '../helper.js'
import { svgFacts } from '../svg.js'

const upstream = useUpstream({ PUBLIC_COMPONENTS: '*' })

/** The logo badge-maker drew: the SVG inside the <image>'s data URL. */
function embeddedLogo(svg: string): string | undefined {
  const data = /<image [^>]*href="data:image\/svg\+xml;base64,([^"]+)"/.exec(svg)?.[1]
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8')
}
const dataUrl = (svg: string) =>
  `data:image/svg%2Bxml;base64,${encodeURIComponent(Buffer.from(svg).toString('base64'))}`
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'

describe('logo=<slug> (simple-icons)', () => {
  it('draws the icon, in whitesmoke or in logoColor', async () => {
    const app = await upstream.ready()
    const plain = embeddedLogo((await app.inject('/badge.svg?logo=github')).body)
    expect(plain).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 24 24"><path fill="#f5f5f5" d="M12 \.297c/,
    )
    const red = embeddedLogo((await app.inject('/badge.svg?logo=github&logoColor=red')).body)
    expect(red).toContain(`fill="${BADGE_COLORS.red}"`)
    const hex = embeddedLogo((await app.inject('/badge.svg?logo=github&logoColor=0f0')).body)
    expect(hex).toContain('fill="#00ff00"')
  })

  it('takes the slug in any case, as one badge', async () => {
    const app = await upstream.ready()
    expect((await app.inject('/badge.svg?logo=GitHub')).body).toBe((await app.inject('/badge.svg?logo=github')).body)
  })

  it('answers "invalid logo" for a slug simple-icons does not have', async () => {
    const app = await upstream.ready()
    const response = await app.inject('/badge.svg?logo=nosuchbrandatall')
    expect(response.headers['x-badge-error']).toBe('invalid logo')
    expect(svgFacts(response.body).texts[1]).toBe('invalid logo')
  })
})

describe('logo=data:image/svg+xml;base64,…', () => {
  it('draws the SVG given, reduced to its drawing elements, with logoColor as its fill', async () => {
    const app = await upstream.ready()
    const hostile = LOGO.replace(
      '</svg>',
      '<script>alert(1)</script><image href="https://evil.example/x.png"/><foreignObject/></svg>',
    ).replace('<circle', '<circle onload="alert(1)"')
    const svg = (await app.inject(`/badge.svg?logo=${dataUrl(hostile)}&logoColor=blue`)).body
    expect(embeddedLogo(svg)).toBe(
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" fill="${BADGE_COLORS.blue}"><circle cx="5" cy="5" r="4"></circle></svg>`,
    )
  })

  it('takes the "+" as a space, as a browser sends it unencoded', async () => {
    const app = await upstream.ready()
    const encoded = Buffer.from(LOGO).toString('base64')
    const a = await app.inject(`/badge.svg?logo=data:image/svg+xml;base64,${encoded.replaceAll('+', '%2B')}`)
    const b = await app.inject(`/badge.svg?logo=${dataUrl(LOGO)}`)
    expect(a.headers['x-badge-error']).toBeUndefined()
    expect(a.body).toBe(b.body)
  })

  it.each([
    [
      'a PNG',
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
    ],
    ['PNG bytes labelled SVG', 'data:image/svg%2Bxml;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ'],
    ['HTML labelled SVG', dataUrl('<html><script>alert(1)</script></html>')],
    ['an SVG over 8 KiB', dataUrl(LOGO.replace('</svg>', `<path d="M0 0${' l1 1'.repeat(1700)}"/></svg>`))],
    ['no base64', 'data:image/svg%2Bxml,%3Csvg%3E'],
    ['not base64', 'data:image/svg%2Bxml;base64,%3Cscript%3E'],
    ['a URL', 'https://evil.example/logo.svg'],
    ['a script', '%3Cscript%3Ealert(1)%3C/script%3E'],
    ['a parameter twice', 'github&logo=gitlab'],
    ['something far too long', 'a'.repeat(20_000)],
  ])('answers "invalid logo" for %s, HTTP 200, reflecting nothing', async (_what, value) => {
    const app = await upstream.ready()
    const response = await app.inject(`/badge.svg?logo=${value}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-badge-error']).toBe('invalid logo')
    expect(response.body).not.toContain('script')
    expect(response.body).not.toContain('evil')
  })

  it('ignores logoColor without a logo, and checks it like any colour', async () => {
    const app = await upstream.ready()
    expect((await app.inject('/badge.svg?logoColor=red')).body).toBe((await app.inject('/badge.svg')).body)
    expect((await app.inject('/badge.svg?logo=github&logoColor=javascript:x')).headers['x-badge-error']).toBe(
      'invalid logoColor',
    )
  })
})

describe('every new parameter, given anything', () => {
  const ROUTES = ['/badge.svg', '/badge.png', '/components/badge.svg?ids=1', '/components/1/badge.svg']
  const NAMES = ['logo', 'logoColor', 'theme', 'ids', 'majorOutageMessage', 'operationalColor', 'unknownMessage']
  const hostile = fc.oneof(
    fc.string(),
    fc.constantFrom('<script>alert(1)</script>', '"><svg onload=alert(1)>', 'javascript:alert(1)', '%00', '\u0000'),
    fc.string({ minLength: 5000, maxLength: 9000 }),
  )

  it('is an image with HTTP 200, and never carries the value back unescaped', async () => {
    const app = await upstream.ready()
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.constantFrom(...NAMES), hostile, async (route, name, value) => {
        const separator = route.includes('?') ? '&' : '?'
        const response = await app.inject(`${route}${separator}${name}=${encodeURIComponent(value)}`)
        expect(response.statusCode).toBe(200)
        expect(response.headers['content-type']).toMatch(/^image\/(svg\+xml; charset=utf-8|png)$/)
        if (value.length > 3 && /[<>"&]/.test(value)) expect(response.body).not.toContain(value)
        expect(response.body).not.toMatch(/<script|onload=/i)
      }),
      { numRuns: 150 },
    )
  })

  it('is a JSON answer (200 or 400), never a 5xx, on the documents', async () => {
    const app = await upstream.ready()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/badge.json', '/components/badge.json?ids=1'),
        fc.constantFrom(...NAMES),
        hostile,
        async (route, name, value) => {
          const separator = route.includes('?') ? '&' : '?'
          const response = await app.inject(`${route}${separator}${name}=${encodeURIComponent(value)}`)
          expect([200, 400]).toContain(response.statusCode)
          expect(() => response.json<unknown>()).not.toThrow()
        },
      ),
      { numRuns: 100 },
    )
  })
})
