import { describe, expect, it } from 'vitest'
import { BadgeFailure } from '../../src/badge/faces.js'
import { createRasteriser, PIXELS_BEFORE_COLLECTION } from '../../src/badge/raster.js'
import { renderSvg } from '../../src/badge/render.js'
import { decodePng } from '../png.js'

const badge = (message: string) => renderSvg({ label: 'status', message, color: 'blue' })

describe('the rasteriser', () => {
  it('renders at the scale asked for', async () => {
    const rasteriser = createRasteriser({ maxInFlight: 1, maxQueued: 1, timeoutMs: 10_000, scale: 2 })
    const image = decodePng(await rasteriser.render('a', badge('up')))
    const width = Number(/width="(\d+)"/.exec(badge('up'))?.[1])
    expect(image).toMatchObject({ width: 2 * width, height: 40 })
  })

  it('shares one render between requests for the same key', async () => {
    const rasteriser = createRasteriser({ maxInFlight: 1, maxQueued: 0, timeoutMs: 10_000, scale: 2 })
    const [a, b] = await Promise.all([rasteriser.render('k', badge('x')), rasteriser.render('k', badge('x'))])
    expect(a).toBe(b)
    expect(rasteriser.stats().rendered).toBe(1)
  })

  it('refuses what the bounds cannot take as "busy", and recovers', async () => {
    const rasteriser = createRasteriser({ maxInFlight: 1, maxQueued: 1, timeoutMs: 10_000, scale: 2 })
    const results = await Promise.allSettled([1, 2, 3].map((n) => rasteriser.render(String(n), badge(String(n)))))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected'])
    const failure = (results[2] as PromiseRejectedResult).reason as BadgeFailure
    expect(failure).toBeInstanceOf(BadgeFailure)
    expect(failure.reason).toBe('busy')
    expect(rasteriser.stats()).toMatchObject({ running: 0, waiting: 0, refused: 1 })
    await expect(rasteriser.render('3', badge('3'))).resolves.toBeInstanceOf(Buffer)
  })

  it('answers "render timeout" past its time, and frees the slot when the render ends', async () => {
    const rasteriser = createRasteriser({ maxInFlight: 1, maxQueued: 4, timeoutMs: 1, scale: 2 })
    const failure = await rasteriser.render('slow', badge('slow')).catch((error: unknown) => error)
    expect((failure as BadgeFailure).reason).toBe('render timeout')
    await expect.poll(() => rasteriser.stats().running, { timeout: 5000 }).toBe(0)
  })

  it('renders off the event loop: timers keep firing while a slow render runs', async () => {
    // About a second of work for resvg at 2x (a blur over many shapes): on the event loop, no timer could fire.
    const circles = Array.from(
      { length: 80 },
      (_, i) =>
        `<circle cx="${(i * 37) % 600}" cy="${(i * 91) % 600}" r="${50 + (i % 40)}" fill="#${(i * 99991).toString(16).slice(-6).padStart(6, '0')}"/>`,
    ).join('')
    const slow = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><filter id="b"><feGaussianBlur stdDeviation="40"/></filter><g filter="url(#b)">${circles}</g></svg>`
    const rasteriser = createRasteriser({ maxInFlight: 1, maxQueued: 1, timeoutMs: 60_000, scale: 2 })
    let ticks = 0
    const timer = setInterval(() => ticks++, 10)
    const started = performance.now()
    try {
      const image = decodePng(await rasteriser.render('slow', slow))
      expect(image).toMatchObject({ width: 1200, height: 1200 })
    } finally {
      clearInterval(timer)
    }
    const elapsed = performance.now() - started
    // Only meaningful when the render took a while; it does (about 800 ms here), so the margin is wide.
    expect(elapsed).toBeGreaterThan(100)
    expect(ticks).toBeGreaterThanOrEqual(Math.min(5, Math.floor(elapsed / 40)))
  })

  it('never rasterises an SVG that refers to a file or a URL', async () => {
    const rasteriser = createRasteriser({ maxInFlight: 1, maxQueued: 1, timeoutMs: 10_000, scale: 2 })
    for (const href of [
      'file:///etc/passwd',
      '/etc/passwd',
      'http://127.0.0.1:9/x.png',
      'data:image/png;base64,AAAA',
    ]) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="${href}" width="10" height="10"/></svg>`
      expect(() => rasteriser.renderNow(svg)).toThrow(/external reference/)
      await expect(rasteriser.render(href, svg)).rejects.toThrow(/external reference/)
    }
  })

  it(
    'asks for a full collection each time PIXELS_BEFORE_COLLECTION bytes of images were made, timed-out ones included',
    { timeout: 60_000 },
    async () => {
      const asked: unknown[] = []
      const collect = (options?: unknown) => asked.push(options)
      // 200 × 100 at 2x: 400 × 200 × 4 = 320 000 bytes of RGBA a render.
      const svg = (n: number) =>
        `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#${n.toString(16).padStart(6, '0')}"/></svg>`
      const perImage = 400 * 200 * 4
      const renders = Math.ceil(PIXELS_BEFORE_COLLECTION / perImage)
      const rasteriser = createRasteriser({ maxInFlight: 2, maxQueued: 64, timeoutMs: 60_000, scale: 2, collect })
      for (let n = 0; n < renders - 1; n++) await rasteriser.render(String(n), svg(n))
      expect(asked).toEqual([])
      await rasteriser.render('last', svg(renders))
      expect(asked).toEqual([{ type: 'major', execution: 'async' }])
      expect(rasteriser.stats().collections).toBe(1)
      // An error badge drawn on the event loop counts too.
      for (let n = 0; n < renders; n++) rasteriser.renderNow(svg(n))
      expect(asked).toHaveLength(2)
      // So does a render whose answer was a timeout: its pixels were made all the same.
      const late = createRasteriser({ maxInFlight: 64, maxQueued: 0, timeoutMs: 1, scale: 2, collect })
      const failures = await Promise.allSettled(Array.from({ length: renders }, (_, n) => late.render(`t${n}`, svg(n))))
      expect(failures.some((f) => f.status === 'rejected')).toBe(true)
      await expect.poll(() => late.stats().collections, { timeout: 30_000 }).toBe(1)
    },
  )
})
