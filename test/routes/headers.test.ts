import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { fleet } from '../../src/dev/scenarios.js'
import { useUpstream } from '../helper.js'

const t = useUpstream({ PUBLIC_COMPONENTS: '*' })
const { ready } = t

const JSON_ROUTES = [
  '/badge.json',
  '/badge.shields.json',
  '/uptime/badge.json',
  '/uptime/badge.shields.json',
  '/components.json',
  '/components/1/badge.json',
  '/components/1/badge.shields.json',
]
const SVG_ROUTES = ['/badge.svg', '/uptime/badge.svg', '/components/1/badge.svg', '/badge.svg?style=nope']
const ORIGIN = 'https://www.example.com'

describe('CORS', () => {
  it('lets any origin read the JSON routes by default, exposing the validators', async () => {
    const app = await ready()
    for (const url of JSON_ROUTES) {
      const response = await app.inject({ url, headers: { origin: ORIGIN } })
      expect(response.headers['access-control-allow-origin'], url).toBe('*')
      expect(response.headers['access-control-expose-headers']).toBe('ETag, Last-Modified, X-Badge-Error')
      expect(response.headers['access-control-allow-credentials']).toBeUndefined()
    }
    // Errors of JSON routes too, so a script can read them.
    const missing = await app.inject({ url: '/components/999/badge.json', headers: { origin: ORIGIN } })
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['access-control-allow-origin']).toBe('*')
  })

  it('adds nothing to the images, the page or the probes, preflights included', async () => {
    const app = await ready()
    for (const url of [...SVG_ROUTES, '/', '/favicon.svg', '/healthz', '/readyz']) {
      const response = await app.inject({ url, headers: { origin: ORIGIN } })
      expect(response.headers['access-control-allow-origin'], url).toBeUndefined()
      const preflight = await app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
      })
      expect(preflight.statusCode, `OPTIONS ${url}`).toBe(404)
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
      expect(preflight.headers['cache-control']).toBe('no-store')
    }
  })

  it('answers a preflight, cacheable for a day, without credentials', async () => {
    const app = await ready()
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/badge.json',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'if-none-match',
      },
    })
    expect(response.statusCode).toBe(204)
    expect(response.headers['access-control-allow-origin']).toBe('*')
    expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD')
    // A fixed list, never what the preflight asked for echoed back.
    expect(response.headers['access-control-allow-headers']).toBe(
      'If-None-Match, If-Modified-Since, Cache-Control, Last-Event-ID',
    )
    expect(response.headers['access-control-max-age']).toBe('86400')
    expect(response.headers['cache-control']).toBe('public, max-age=86400')
    expect(response.headers['access-control-allow-credentials']).toBeUndefined()
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    const malformed = await app.inject({ method: 'OPTIONS', url: '/badge.json' })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.headers['cache-control']).toBe('no-store')
    expect(malformed.headers['x-content-type-options']).toBe('nosniff')
  })

  it('prepares for any origin the headers the plugin sets for a listed one, on every JSON answer', async () => {
    // With CORS_ORIGINS=* no hook runs on a JSON request: the headers travel with the prepared bytes.
    const any = await ready()
    const listed = await ready({ CORS_ORIGINS: ORIGIN })
    const comparable = (headers: Record<string, unknown>) => {
      // The two apps polled at different times: their bodies (and so their validators) differ.
      const {
        date,
        etag,
        'last-modified': modified,
        'content-length': length,
        vary,
        'access-control-allow-origin': origin,
        ...rest
      } = headers
      const dated = { date: typeof date, etag: typeof etag, modified: typeof modified, length: typeof length }
      return {
        ...rest,
        ...dated,
        vary: typeof vary === 'string' ? vary.replace(/Origin(, )?/, '') || undefined : vary,
        origin,
      }
    }
    const urls = [
      ...JSON_ROUTES,
      '/api/v2/summary.json',
      '/api/v2/status.json',
      '/components/999/badge.json',
      '/components/abc/badge.json',
      '/components/badge.json',
      '/badge.json?label=' + 'x'.repeat(300),
      '/components.json?unexpected=1',
    ]
    for (const url of urls) {
      for (const headers of [{ origin: ORIGIN }, { origin: ORIGIN, 'accept-encoding': 'br' }]) {
        const fromAny = await any.inject({ url, headers })
        const fromListed = await listed.inject({ url, headers })
        expect(fromAny.statusCode, url).toBe(fromListed.statusCode)
        expect(comparable(fromAny.headers), url).toEqual({ ...comparable(fromListed.headers), origin: '*' })
        const etag = fromAny.headers.etag
        if (typeof etag !== 'string') continue
        const revalidated = await any.inject({ url, headers: { ...headers, 'if-none-match': etag } })
        expect(revalidated.statusCode, url).toBe(304)
        expect(revalidated.headers['access-control-allow-origin'], url).toBe('*')
        expect(revalidated.headers['access-control-expose-headers'], url).toBe('ETag, Last-Modified, X-Badge-Error')
      }
    }
  })

  it('with CORS_ORIGINS, answers only those origins, with Vary: Origin', async () => {
    const app = await ready({ CORS_ORIGINS: `${ORIGIN},http://localhost:8080` })
    const allowed = await app.inject({ url: '/badge.json', headers: { origin: ORIGIN } })
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN)
    expect(allowed.headers.vary).toMatch(/\bOrigin\b/)
    const other = await app.inject({ url: '/badge.json', headers: { origin: 'https://evil.example' } })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
    expect(other.headers.vary).toMatch(/\bOrigin\b/)
    // A 304 keeps Vary too, so shared caches keep origins apart.
    const revalidated = await app.inject({
      url: '/badge.json',
      headers: { origin: ORIGIN, 'if-none-match': String(allowed.headers.etag) },
    })
    expect(revalidated.statusCode).toBe(304)
    expect(revalidated.headers.vary).toMatch(/\bOrigin\b/)
    expect(revalidated.headers['access-control-allow-origin']).toBe(ORIGIN)
  })
})

describe('security headers', () => {
  it('keep badges embeddable anywhere, scripts out of SVGs, nosniff everywhere', async () => {
    const app = await ready()
    for (const url of SVG_ROUTES) {
      const response = await app.inject(url)
      expect(response.headers['cross-origin-resource-policy'], url).toBe('cross-origin')
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      )
      expect(response.headers['x-frame-options']).toBeUndefined()
    }
  })

  it('give every response nosniff and no upgrade-insecure-requests or HSTS', async () => {
    const app = await ready()
    for (const url of [...SVG_ROUTES, ...JSON_ROUTES, '/', '/favicon.ico', '/healthz', '/readyz', '/nope']) {
      const response = await app.inject(url)
      expect(response.headers['x-content-type-options'], url).toBe('nosniff')
      expect(String(response.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests')
      expect(response.headers['strict-transport-security']).toBeUndefined()
      expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin')
    }
  })

  it('give JSON a CSP under which nothing runs or frames it', async () => {
    const app = await ready()
    const response = await app.inject('/badge.json')
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    )
  })

  it('give the landing page a strict CSP that allows exactly its own stylesheet and script', async () => {
    const app = await ready()
    const response = await app.inject('/')
    const csp = String(response.headers['content-security-policy'])
    expect(csp).toMatch(
      /^default-src 'none'; img-src 'self'; style-src 'sha256-[\w+/=]+'; script-src 'sha256-[\w+/=]+' 'sha256-[\w+/=]+'; connect-src 'self'; base-uri 'none'; form-action 'self'/,
    )
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/)
    const { createHash } = await import('node:crypto')
    const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
    const css = /<style>([\s\S]*?)<\/style>/.exec(response.body)?.[1] ?? ''
    const scripts = [...response.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '')
    expect(scripts).toHaveLength(2)
    expect(csp).toContain(`style-src ${hashOf(css)};`)
    expect(csp).toContain(`script-src ${scripts.map(hashOf).join(' ')};`)
  })
})

describe('compression', () => {
  it('sends the landing page compressed when asked, with its own ETag and Vary', async () => {
    // With PUBLIC_URL the page is one for all: worth compressing once.
    const app = await ready({ PUBLIC_URL: 'https://status.example.com' })
    const identity = await app.inject('/')
    const br = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, deflate, br' } })
    const gzip = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } })
    expect(identity.headers['content-encoding']).toBeUndefined()
    expect(br.headers['content-encoding']).toBe('br')
    expect(gzip.headers['content-encoding']).toBe('gzip')
    for (const response of [identity, br, gzip]) expect(response.headers.vary).toBe('Accept-Encoding')
    expect(new Set([identity.headers.etag, br.headers.etag, gzip.headers.etag]).size).toBe(3)
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(identity.body)
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(identity.body)
    expect(br.rawPayload.length).toBeLessThan(identity.rawPayload.length / 2)

    const again = await app.inject({
      url: '/',
      headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) },
    })
    expect(again.statusCode).toBe(304)
    // The identity ETag does not validate the compressed representation.
    const crossed = await app.inject({
      url: '/',
      headers: { 'accept-encoding': 'br', 'if-none-match': String(identity.headers.etag) },
    })
    expect(crossed.statusCode).toBe(200)
  })

  it('compresses a large JSON once, not the small ones and never the SVG badges', async () => {
    t.upstream.state = {
      ...t.upstream.state,
      monitors: Array.from({ length: 8 }, () => fleet(0))
        .flat()
        .map((monitor, i) => ({ ...monitor, id: i + 1, name: `Monitor ${i + 1}` })),
    }
    const app = await ready()
    const list = await app.inject({ url: '/components.json', headers: { 'accept-encoding': 'br' } })
    expect(list.headers['content-encoding']).toBe('br')
    const before = app.caches.documents.stats()
    await app.inject({ url: '/components.json', headers: { 'accept-encoding': 'gzip' } })
    expect(app.caches.documents.stats().prepared).toBe(before.prepared)

    for (const url of ['/badge.json', ...SVG_ROUTES]) {
      const response = await app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } })
      expect(response.headers['content-encoding'], url).toBeUndefined()
      expect(response.headers.vary, url).toBeUndefined()
    }
  })

  it('honours refusals and weights, in any case', async () => {
    const app = await ready({ PUBLIC_URL: 'https://status.example.com' })
    const encodingFor = async (header: string) =>
      (await app.inject({ url: '/', headers: { 'accept-encoding': header } })).headers['content-encoding']
    expect(await encodingFor('br;q=0, gzip;q=0')).toBeUndefined()
    expect(await encodingFor('br;q=0, *')).toBe('gzip')
    expect(await encodingFor('BR')).toBe('br')
    expect(await encodingFor('gzip;q=1, br;q=0.5')).toBe('gzip')
    expect(await encodingFor('identity')).toBeUndefined()
  })

  it('sends a page built from the Host header uncompressed the first time (a client chooses the Host)', async () => {
    const app = await ready()
    const response = await app.inject({ url: '/', headers: { 'accept-encoding': 'br' } })
    expect(response.headers['content-encoding']).toBeUndefined()
  })
})
