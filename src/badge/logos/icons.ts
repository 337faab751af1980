import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LRUCache } from 'lru-cache'

/** Icons kept once read: the set is fixed (some 3500), and each is a path of about 1 KB. */
const MAX_ICONS_KEPT = 256

/** The simple-icons package's folder of SVG files, one per slug. */
export function simpleIconsFolder(): string {
  return join(dirname(fileURLToPath(import.meta.resolve('simple-icons'))), 'icons')
}

/**
 * The simple-icons set (shields.io's logos), read on first use: the list of
 * slugs when a logo is first asked for, each icon's path when it is. Not
 * `import('simple-icons')`: that module holds every icon at once, about
 * 33 MB of resident memory for the few a service's badges show.
 */
export function createIconSet(folder = simpleIconsFolder()) {
  let slugs: Promise<ReadonlySet<string>> | undefined
  const paths = new LRUCache<string, string>({ max: MAX_ICONS_KEPT })

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
      if (path !== undefined) paths.set(slug, path)
      return path
    },
  }
}

export type IconSet = ReturnType<typeof createIconSet>
