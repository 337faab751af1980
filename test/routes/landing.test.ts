import { beforeEach, describe, expect, it } from 'vitest'
import { BUILDER_SCRIPT } from '../../src/landing/builder.js'
import { fetchSnippet, htmlSnippet, markdownSnippet, pictureSnippet } from '../../src/landing/page.js'
import { useUpstream } from '../helper.js'

const HOSTILE = `<img src=x onerror=alert(1)> & "quoted" 'single' Ünïcødé`

const t = useUpstream({ PUBLIC_COMPONENTS: '*' })
const { ready } = t

beforeEach(() => {
  t.upstream.state.monitors = [
    { id: 1, name: 'Web Server', type: 'https', target: 'https://10.0.0.1/', status: 'up', is_active: 1 },
    { id: 'db-1', name: HOSTILE, type: 'tcp', target: '10.0.0.2:5432', status: 'down', is_active: 1 },
  ]
})

const attributes = (page: string) => [...page.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '')

describe('GET /', () => {
  it('shows every badge live, with snippets built from the request origin', async () => {
    const app = await ready()
    const response = await app.inject({ url: '/', headers: { host: 'status.example.com' } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.headers['cache-control']).toBe('private, no-cache')
    const page = response.body
    for (const src of ['badge.svg', 'uptime/badge.svg', 'components/1/badge.svg', 'components/db-1/badge.svg']) {
      expect(attributes(page)).toContain(src)
    }
    expect(page).toContain('&lt;img src=&quot;http://status.example.com/badge.svg&quot; alt=&quot;status&quot;&gt;')
    expect(page).toContain('![status](http://status.example.com/badge.svg)')
    expect(page).toContain('fetch(&quot;http://status.example.com/badge.json&quot;)\n  .then((res) =&gt; res.json())')
    expect(page).toContain(
      `https://img.shields.io/endpoint?url=${encodeURIComponent('http://status.example.com/badge.shields.json')}`,
    )
  })

  it('has light and dark <picture> snippets, a PNG one, a roll-up and the builder', async () => {
    const app = await ready()
    const page = (await app.inject({ url: '/', headers: { host: 'status.example.com' } })).body
    const unescape = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&')
    const snippets = [...page.matchAll(/<pre><code>([\s\S]*?)<\/code><\/pre>/g)].map((m) => unescape(m[1] ?? ''))
    expect(snippets).toContain(
      pictureSnippet('http://status.example.com/badge.svg', 'http://status.example.com/badge.svg?theme=dark', 'status'),
    )
    expect(snippets).toContain('<img src="http://status.example.com/badge.png" alt="status">')
    expect(snippets).toContain('<img src="http://status.example.com/components/badge.svg?ids=1,2,7" alt="status">')
    expect(attributes(page)).toContain('badge.svg?theme=dark')
    // The builder: a form that works without script, the origin in a data attribute, the script in the page.
    expect(page).toMatch(/<form id="builder" method="get" action="badge.svg" data-base="http:\/\/status.example.com"/)
    expect(page).toContain(`<script>${BUILDER_SCRIPT}</script>`)
    // Its own, and the live updates'.
    expect(page.match(/<script/g)).toHaveLength(2)
  })

  it('gives the <picture> snippet escaped for HTML', () => {
    expect(pictureSnippet('https://s.example/b.svg?a=1&b="2"', 'https://s.example/b.svg?theme=dark', 'x"<y')).toBe(
      [
        '<picture>',
        '  <source media="(prefers-color-scheme: dark)" srcset="https://s.example/b.svg?theme=dark">',
        '  <img src="https://s.example/b.svg?a=1&amp;b=&quot;2&quot;" alt="x&quot;&lt;y">',
        '</picture>',
      ].join('\n'),
    )
  })

  it('escapes every monitor name', async () => {
    const app = await ready()
    const page = (await app.inject('/')).body
    expect(page).not.toContain('<img src=x')
    expect(page).toContain('alt="&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot; &#39;single&#39; Ünïcødé"')
    expect(page).not.toContain('10.0.0.')
  })

  it('escapes each snippet for where it is pasted', () => {
    const hostile = `x"><script>alert(1)</script> [a] \\ (b)`
    expect(htmlSnippet('https://s.example/c/1/badge.svg', hostile)).toBe(
      '<img src="https://s.example/c/1/badge.svg" alt="x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; [a] \\ (b)">',
    )
    expect(markdownSnippet('https://s.example/a (1)/badge.svg', `${hostile}\nnext`)).toBe(
      '![x"><script>alert(1)</script> \\[a\\] \\\\ (b) next](https://s.example/a%20%281%29/badge.svg)',
    )
    expect(fetchSnippet(`https://s.example/it's/"badge".json`)).toMatch(
      /^fetch\("https:\/\/s\.example\/it's\/\\"badge\\"\.json"\)\n/,
    )
  })

  it('gives snippets that stay inert where they are pasted, whatever the names', async () => {
    const app = await ready()
    const page = (await app.inject({ url: '/', headers: { host: 'status.example.com' } })).body
    const unescape = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&')
    const snippets = [...page.matchAll(/<pre><code>([\s\S]*?)<\/code><\/pre>/g)].map((m) => unescape(m[1] ?? ''))
    expect(snippets).toContain('<img src="http://status.example.com/badge.svg" alt="status">')
    expect(snippets).toContain(fetchSnippet('http://status.example.com/badge.json', 'status, message, color, stale'))
    expect(snippets).toContain(
      fetchSnippet('http://status.example.com/uptime/badge.json', 'uptime, message, color, stale'),
    )
    // Component rows are relative: the hostile name is only an alt text, escaped once.
    expect(page).toContain('alt="&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot; &#39;single&#39; Ünïcødé"')
  })

  it('loads nothing from elsewhere', async () => {
    const app = await ready()
    const page = (await app.inject('/')).body
    for (const value of attributes(page)) expect(value).not.toMatch(/^(https?:)?\/\//)
    expect(attributes(page)).toContain('favicon.svg')
  })

  it('uses PUBLIC_URL when it is set, and may then be shared by caches', async () => {
    const app = await ready({ PUBLIC_URL: 'https://badges.example.org/status/' })
    const response = await app.inject({ url: '/', headers: { host: 'internal:3000' } })
    expect(response.headers['cache-control']).toBe('public, no-cache')
    expect(response.body).toContain('![status](https://badges.example.org/status/badge.svg)')
    expect(response.body).not.toContain('internal:3000')
    // Its own images resolve under the prefix even when opened as /status without the slash.
    expect(attributes(response.body)).toContain('/status/badge.svg')
    expect(attributes(response.body)).toContain('/status/favicon.svg')
  })

  it('stays cheap for a request with a new Host, however large the fleet', async () => {
    const saved = t.upstream.state.monitors
    t.upstream.state.monitors = Array.from({ length: 1500 }, (_, i) => ({
      id: i + 1,
      name: `Monitor number ${i + 1} in the rack`,
      type: 'https',
      target: `https://10.1.${Math.floor(i / 250)}.${i % 250}/`,
      status: 'up',
      is_active: 1,
    }))
    try {
      const app = await ready()
      const started = performance.now()
      for (let i = 0; i < 40; i++) {
        const response = await app.inject({ url: '/', headers: { host: `new-${i}.example`, 'accept-encoding': 'br' } })
        expect(response.statusCode).toBe(200)
      }
      // Well under what brotli at quality 11 took per page (about 1.7 s here).
      expect((performance.now() - started) / 40).toBeLessThan(150)
    } finally {
      t.upstream.state.monitors = saved
    }
  })

  it('keeps its pages apart from the badges: a flood of Host headers evicts no badge', async () => {
    const app = await ready()
    await app.inject('/badge.svg')
    const before = app.caches.badges.stats()
    for (let i = 0; i < 300; i++) await app.inject({ url: '/', headers: { host: `h${i}.example` } })
    const after = app.caches.badges.stats()
    expect(after.entries).toBe(before.entries)
    expect(after.prepared).toBe(before.prepared)
  })

  it('ignores forwarded headers unless TRUST_PROXY says so', async () => {
    const forwarded = { host: 'internal:3000', 'x-forwarded-host': 'status.example.com', 'x-forwarded-proto': 'https' }
    const untrusted = await ready()
    expect((await untrusted.inject({ url: '/', headers: forwarded })).body).toContain(
      '(http://internal:3000/badge.svg)',
    )
    await untrusted.close()

    const trusted = await ready({ TRUST_PROXY: 'true' })
    expect((await trusted.inject({ url: '/', headers: forwarded })).body).toContain(
      '(https://status.example.com/badge.svg)',
    )
    await trusted.close()

    const byAddress = await ready({ TRUST_PROXY: '127.0.0.1/32' })
    expect((await byAddress.inject({ url: '/', headers: forwarded })).body).toContain(
      '(https://status.example.com/badge.svg)',
    )
    await byAddress.close()

    const otherProxy = await ready({ TRUST_PROXY: '10.0.0.0/8' })
    expect((await otherProxy.inject({ url: '/', headers: forwarded })).body).toContain(
      '(http://internal:3000/badge.svg)',
    )
  })

  it('says how to publish components when none is public', async () => {
    const app = await ready({ PUBLIC_COMPONENTS: '' })
    const page = (await app.inject('/')).body
    expect(page).toContain('No component is public')
    expect(page).not.toContain('components/1/badge.svg')
  })

  it('says the list is not loaded yet, rather than that none is public, before /monitors answers', async () => {
    t.upstream.override('/monitors', { status: 503 })
    try {
      const page = (await (await ready()).inject('/')).body
      expect(page).toContain('has not been loaded from the upstream yet')
      expect(page).not.toContain('No component is public')
    } finally {
      t.upstream.override('/monitors', undefined)
    }
  })

  it('answers a repeated request with 304', async () => {
    const app = await ready()
    const first = await app.inject('/')
    const again = await app.inject({ url: '/', headers: { 'if-none-match': String(first.headers.etag) } })
    expect(again.statusCode).toBe(304)
  })
})

describe('the landing page, bounded', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      name: `Monitor number ${i + 1} in the rack`,
      type: 'https',
      target: `https://10.1.${Math.floor(i / 250)}.${i % 250}/`,
      status: 'up',
      is_active: 1,
    }))
  const count = (text: string, needle: string) => text.split(needle).length - 1

  it('lists at most 100 components and points to /components.json for the rest', async () => {
    t.upstream.state.monitors = many(250)
    const app = await ready()
    const page = (await app.inject('/')).body
    expect(count(page, 'src="components/')).toBe(100)
    expect(page).toContain('The first 100 of 250 are shown here')
    expect(page).toContain('href="components.json"')
  })

  it('has the same size whatever the number of components past 100, and names a valid Host at most 16 times', async () => {
    const host = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.example:8080`
    const sizes: number[] = []
    for (const n of [101, 3000]) {
      t.upstream.state.monitors = many(n)
      const app = await ready()
      const page = (await app.inject({ url: '/', headers: { host } })).body
      expect(count(page, host)).toBeLessThanOrEqual(16)
      expect(count(page, host)).toBeGreaterThan(0)
      // The one number that changes: "of 101" against "of 3000".
      sizes.push(page.length - String(n).length)
      await app.close()
    }
    expect(sizes[1]).toBe(sizes[0])
  })

  it('costs the same for a short and a long Host, and for 3000 components as for 101', async () => {
    const timeFor = async (n: number, host: string) => {
      t.upstream.state.monitors = many(n)
      const app = await ready()
      const started = performance.now()
      for (let i = 0; i < 200; i++) await app.inject({ url: '/', headers: { host: `${i}.${host}` } })
      const perPage = (performance.now() - started) / 200
      await app.close()
      return perPage
    }
    const base = await timeFor(101, 'a.example')
    for (const perPage of [await timeFor(3000, 'a.example'), await timeFor(101, `${'x'.repeat(240)}.example`)]) {
      // inject() itself dominates; a page that grew with either would take many times longer.
      expect(perPage).toBeLessThan(base * 3 + 1)
    }
  })

  it.each([
    ['a Host over 255 characters', `${'a.'.repeat(130)}example`],
    ['a Host with a path', 'evil.example/<script>'],
    ['a Host with spaces', 'evil example'],
    ['a Host with a bad port', 'evil.example:port'],
  ])('does not reflect %s at all', async (_what, host) => {
    const app = await ready()
    const response = await app.inject({ url: '/', headers: { host } })
    expect(response.statusCode).toBe(200)
    expect(response.body).not.toContain(host)
    expect(response.body).not.toContain('evil')
    expect(response.body).toContain('https://status.example.com/badge.svg')
    expect(response.body).toContain('set PUBLIC_URL')
  })

  it('compresses a page for an origin that asks again, in the encoding it takes, with its own ETag', async () => {
    const app = await ready()
    const headers = { host: 'status.example.com', 'accept-encoding': 'br' }
    const first = await app.inject({ url: '/', headers })
    expect(first.headers['content-encoding']).toBeUndefined()
    expect(first.headers.vary).toBe('Accept-Encoding')
    const second = await app.inject({ url: '/', headers })
    expect(second.headers['content-encoding']).toBe('br')
    expect(second.headers.etag).not.toBe(first.headers.etag)
    const { brotliDecompressSync } = await import('node:zlib')
    expect(brotliDecompressSync(second.rawPayload).toString()).toBe(first.body)
    const again = await app.inject({ url: '/', headers: { ...headers, 'if-none-match': String(second.headers.etag) } })
    expect(again.statusCode).toBe(304)
  })
})

describe('the favicon', () => {
  it.each(['/favicon.svg', '/favicon.ico'])('%s is an SVG icon, cached for a day', async (url) => {
    const app = await ready()
    const response = await app.inject(url)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8')
    expect(response.headers['cache-control']).toBe('public, max-age=86400')
    expect(response.body).toMatch(/^<svg /)
  })
})
