import { describe, expect, it } from 'vitest'
import { BadgeFailure } from '../../src/badge/faces.js'
import { createRasteriser } from '../../src/badge/raster.js'
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
})
