import { createRequire } from 'node:module'
import { BadgeFailure } from './faces.js'

export interface RasteriserOptions {
  /** Renders running at once (each on a thread of libuv's pool). */
  readonly maxInFlight: number
  /** Renders waiting for a free slot; beyond them a request is answered "busy". */
  readonly maxQueued: number
  /** From the request to the PNG, waiting included; past it the answer is "render timeout". */
  readonly timeoutMs: number
  /** Pixels per SVG unit: 2 for sharp screens. */
  readonly scale: number
  /** The one font file the rasteriser reads; default: DejaVu Sans from the dejavu-fonts-ttf package. */
  readonly fontFile?: string
  /**
   * A full garbage collection, when the process has one to give (`node
   * --expose-gc`, as `npm start` runs it): asked for once PIXELS_BEFORE_COLLECTION
   * bytes of rendered images wait for one. Default: `globalThis.gc`.
   */
  readonly collect?: () => unknown
}

/**
 * Bytes of rendered pixels (RGBA, width × height × 4) after which the
 * rasteriser asks for a full collection. resvg-js holds each image's pixels
 * in native memory behind a small JS object that only a full (mark-compact)
 * collection frees, and it does not tell V8 their size: V8, seeing a small
 * heap, collected them seldom, and under a flood of distinct PNGs tens of MB
 * of dead pixels stayed resident (README, "Memory"). 8 MiB is some 140
 * badges at 2x; a full collection of this service's heap takes a few ms.
 */
export const PIXELS_BEFORE_COLLECTION = 8 * 1024 * 1024

type Collect = (options?: { type?: 'major'; execution?: 'async' }) => unknown

/**
 * Every href of a badge before it is rasterised: a data URL or a reference
 * within the document. badge-maker writes only these (and logos are
 * sanitised to none); this check makes sure no file or URL reaches the
 * rasteriser, whatever an SVG holds.
 */
const FOREIGN_HREF = /\bhref\s*=\s*["'](?!data:image\/svg\+xml;base64,|#)/i

type Engine = typeof import('@resvg/resvg-js')

/**
 * PNGs from SVG with resvg (@resvg/resvg-js, a Rust renderer shipped as a
 * prebuilt binary inside its npm package), loaded on first use. Fonts come
 * from one file only (no system fonts), so text renders the same on every
 * machine. A render runs off the event loop; at most `maxInFlight` at once,
 * `maxQueued` waiting, each answered within `timeoutMs`. A render that
 * outlives its timeout keeps its slot until it ends: the bound is on work
 * actually running. The same `key` asked for while its render runs shares it.
 */
export function createRasteriser(options: RasteriserOptions) {
  let engine: Engine | undefined
  let fontFile: string | undefined
  const shared = new Map<string, Promise<Buffer>>()
  const waiting: Array<() => void> = []
  let running = 0
  let rendered = 0
  let refused = 0
  let timedOut = 0
  let collections = 0
  // Pixels of images made since the last collection was asked for: dead or soon dead, freed only by it.
  let pixelsSinceCollection = 0
  const collect = options.collect ?? (globalThis as { gc?: Collect }).gc

  /** Counts an image's pixels, and asks for a full collection (run as a task of its own) past the bound. */
  function made(image: { width: number; height: number }): void {
    pixelsSinceCollection += image.width * image.height * 4
    if (pixelsSinceCollection < PIXELS_BEFORE_COLLECTION || !collect) return
    pixelsSinceCollection = 0
    collections++
    void Promise.resolve(collect({ type: 'major', execution: 'async' })).catch(() => undefined)
  }

  function load(): Engine {
    if (!engine) {
      const require = createRequire(import.meta.url)
      fontFile = options.fontFile ?? require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')
      engine = require('@resvg/resvg-js') as Engine
    }
    return engine
  }

  function renderOptions() {
    return {
      fitTo: { mode: 'zoom' as const, value: options.scale },
      font: {
        loadSystemFonts: false,
        fontFiles: [fontFile ?? ''],
        defaultFontFamily: 'DejaVu Sans',
        sansSerifFamily: 'DejaVu Sans',
      },
      logLevel: 'off' as const,
    }
  }

  function checked(svg: string): string {
    if (FOREIGN_HREF.test(svg)) throw new Error('an SVG with an external reference was not rasterised')
    return svg
  }

  async function slot(deadline: Promise<never>): Promise<void> {
    if (running < options.maxInFlight) {
      running++
      return
    }
    if (waiting.length >= options.maxQueued) {
      refused++
      throw new BadgeFailure('busy')
    }
    let wake: () => void = () => undefined
    const turn = new Promise<void>((resolve) => {
      wake = resolve
      waiting.push(resolve)
    })
    try {
      await Promise.race([turn, deadline])
    } catch (error) {
      // Timed out while waiting: leave the queue.
      const at = waiting.indexOf(wake)
      if (at >= 0) waiting.splice(at, 1)
      else release()
      throw error
    }
  }

  function release(): void {
    const next = waiting.shift()
    if (next) next()
    else running--
  }

  async function run(svg: string): Promise<Buffer> {
    const resvg = load()
    const source = checked(svg)
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut++
        reject(new BadgeFailure('render timeout'))
      }, options.timeoutMs)
    })
    deadline.catch(() => undefined)
    try {
      await slot(deadline)
      const work = resvg.renderAsync(source, renderOptions()).finally(release)
      // Counted when made, even past its deadline: its pixels wait for a collection all the same.
      work.then(made, () => undefined)
      const image = await Promise.race([work, deadline])
      rendered++
      // The rasteriser's own buffer, outside V8's heap: a cache that keeps
      // the PNG keeps a copy of it (http/variants.ts), one not kept is freed
      // with this buffer at the next GC.
      return image.asPng()
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    /** The PNG of `svg`, rendered off the event loop within the bounds; `key` names its content. */
    render(key: string, svg: string): Promise<Buffer> {
      let pending = shared.get(key)
      if (!pending) {
        pending = run(svg).finally(() => shared.delete(key))
        shared.set(key, pending)
      }
      return pending
    },

    /**
     * The PNG of `svg` rendered now, on the event loop, outside the bounds:
     * for the few error badges, made once each and kept, which must be there
     * when the bounds are full.
     */
    renderNow(svg: string): Buffer {
      const { Resvg } = load()
      rendered++
      const image = new Resvg(checked(svg), renderOptions()).render()
      made(image)
      return image.asPng()
    },

    stats: () => ({ running, waiting: waiting.length, rendered, refused, timedOut, collections }),
  }
}

export type Rasteriser = ReturnType<typeof createRasteriser>
