import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startProcess } from './process.js'

const ROOT = resolve(import.meta.dirname, '..')

describe('npm run demo', () => {
  it('serves a badge that changes as the simulated upstream does', { timeout: 40_000 }, async () => {
    // The demo's own entry point, as `npm run demo` runs it after building.
    const demo = startProcess('node dist/dev/demo.js', { cwd: ROOT, env: { PORT: '0' } })
    try {
      let url: string | undefined
      while (!url) {
        url = /^\s+(http:\/\/127\.0\.0\.1:\d+)\/badge\.svg$/m.exec(demo.output.join('\n'))?.[1]
        if (demo.child.exitCode !== null) throw new Error(demo.output.join('\n'))
        await new Promise((r) => setTimeout(r, 100))
      }
      const read = async () => ((await (await fetch(`${url}/badge.json`)).json()) as { status: string }).status
      const first = await read()
      expect(first).toBe('operational')
      const seen = new Set([first])
      const deadline = Date.now() + 30_000
      while (seen.size < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500))
        seen.add(await read())
      }
      expect([...seen]).toEqual(['operational', 'degraded'])
      expect(demo.output.join('\n')).toContain('upstream is now: degraded')
    } finally {
      demo.child.kill('SIGTERM')
      expect(await demo.exited).toBe(0)
    }
  })
})
