import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createIconSet, ICON_BOUNDS } from '../../src/badge/logos/icons.js'
import type { Admission } from '../../src/http/variants.js'

let folder: string
const path = (i: number) => `M${i} 0h${'1'.repeat(100)}z`

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'icons-'))
  for (let i = 0; i < 50; i++) {
    await writeFile(join(folder, `icon${i}.svg`), `<svg role="img" viewBox="0 0 24 24"><path d="${path(i)}"/></svg>`)
  }
})
afterAll(() => rm(folder, { recursive: true }))

/** An admission that says yes `n` times. */
const admitting = (n: number): Admission & { asked: number } => ({
  asked: 0,
  admit() {
    this.asked++
    return this.asked <= n
  },
})

describe('createIconSet', () => {
  it("reads an icon's path, and no file for a slug the set does not list", async () => {
    const icons = createIconSet({ folder })
    expect(await icons.path('icon3')).toBe(path(3))
    expect(await icons.path('../icon3')).toBeUndefined()
    expect(await icons.path('nosuchicon')).toBeUndefined()
  })

  it('keeps only the paths its admission lets in: the others are read again, and still drawn', async () => {
    const admission = admitting(5)
    const icons = createIconSet({ folder, admission })
    for (let i = 0; i < 20; i++) expect(await icons.path(`icon${i}`)).toBe(path(i))
    expect(icons.stats().entries).toBe(5)
    expect(admission.asked).toBe(20)
    // Kept ones are answered without asking again; the rest are read, and asked for, again.
    for (let i = 0; i < 5; i++) await icons.path(`icon${i}`)
    expect(admission.asked).toBe(20)
    expect(await icons.path('icon19')).toBe(path(19))
    expect(admission.asked).toBe(21)
  })

  it('stays within its byte bound', async () => {
    const icons = createIconSet({ folder, maxBytes: 1000, admission: admitting(Infinity) })
    for (let i = 0; i < 50; i++) await icons.path(`icon${i}`)
    const { entries, bytes } = icons.stats()
    expect(bytes).toBeLessThanOrEqual(1000)
    expect(entries).toBe(Math.floor(1000 / (path(10).length + 'icon10'.length * 2)))
  })

  it('keeps at most ICON_BOUNDS.perSecond new paths a second by default', async () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    try {
      const icons = createIconSet({ folder })
      for (let i = 0; i < 50; i++) await icons.path(`icon${i}`)
      expect(icons.stats().entries).toBe(ICON_BOUNDS.perSecond)
      vi.advanceTimersByTime(500)
      for (let i = 0; i < 50; i++) await icons.path(`icon${i}`)
      expect(icons.stats().entries).toBe(ICON_BOUNDS.perSecond * 1.5)
    } finally {
      vi.useRealTimers()
    }
  })
})
