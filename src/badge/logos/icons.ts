import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LRUCache } from 'lru-cache'
import { createRateAdmission, type Admission } from '../../http/variants.js'

/**
 * Icon paths kept once read: 1 MiB of path text (the median icon's is
 * under 1 KB, so some 1000 of the set's 3500), and at most 20 new ones a
 * second. Why the rate: a flood cycling through more icons than are kept
 * made every icon a miss, read and kept, then evicted: a path of about a KB
 * promoted to V8's old generation and dead there, per request (RSS +20 MB
 * under 30 000 logo URLs, README "Memory"). A path not kept is read, drawn
 * and dropped while young.
 */
export const ICON_BOUNDS = { maxBytes: 1024 * 1024, perSecond: 20 } as const

/** The simple-icons package's folder of SVG files, one per slug. */
export function simpleIconsFolder(): string {
  return join(dirname(fileURLToPath(import.meta.resolve('simple-icons'))), 'icons')
}

export interface IconSetOptions {
  readonly folder?: string
  readonly maxBytes?: number
  /** Which newly read paths are kept (default: ICON_BOUNDS.perSecond of them a second). */
  readonly admission?: Admission
}

/**
 * The simple-icons set (shields.io's logos), read on first use: the list of
 * slugs when a logo is first asked for, each icon's path when it is. Not
 * `import('simple-icons')`: that module holds every icon at once, about
 * 33 MB of resident memory for the few a service's badges show.
 */
export function createIconSet(options: IconSetOptions = {}) {
  const folder = options.folder ?? simpleIconsFolder()
  const admission = options.admission ?? createRateAdmission(ICON_BOUNDS.perSecond)
  let slugs: Promise<ReadonlySet<string>> | undefined
  const paths = new LRUCache<string, string>({
    maxSize: options.maxBytes ?? ICON_BOUNDS.maxBytes,
    // One byte a character (paths are ASCII), and the slug twice over.
    sizeCalculation: (path, slug) => path.length + slug.length * 2,
  })

  const listed = () =>
    (slugs ??= readdir(folder).then(
      (names) => new Set(names.filter((name) => name.endsWith('.svg')).map((name) => name.slice(0, -4))),
    ))

  return {
    /** The icon's path data (a 24×24 view box), or undefined for no such slug. */
    async path(slug: string): Promise<string | undefined> {
      const cached = paths.get(slug)
      if (cached !== undefined) return cached
      // Only a listed slug becomes a file name: nothing else reaches the file system.
      if (!(await listed()).has(slug)) return undefined
      const svg = await readFile(join(folder, `${slug}.svg`), 'utf8')
      const path = /<path d="([^"]+)"/.exec(svg)?.[1]
      if (path !== undefined && admission.admit(slug)) paths.set(slug, path)
      return path
    },

    stats: () => ({ entries: paths.size, bytes: paths.calculatedSize }),
  }
}

export type IconSet = ReturnType<typeof createIconSet>
