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
      // The webhook it prints works as printed.
      const curl = /curl -X POST '(http:\/\/[^']+)' -d '([^']+)'/.exec(demo.output.join('\n'))
      expect(curl).not.toBeNull()
      const hook = await fetch(curl?.[1] ?? '', { method: 'POST', body: curl?.[2] ?? '' })
      expect(hook.status).toBe(202)
    } finally {
      demo.child.kill('SIGTERM')
      expect(await demo.exited).toBe(0)
    }
  })
})

describe('npm run simulator', () => {
  it('runs the simulated upstream on its own, for `npm start` to poll', { timeout: 40_000 }, async () => {
    const simulator = startProcess('node dist/dev/simulate.js', {
      cwd: ROOT,
      env: { SIMULATOR_PORT: '0', SIMULATOR_API_KEY: 'try-key', SIMULATOR_CYCLE_SECONDS: '0' },
    })
    try {
      let url: string | undefined
      while (!url) {
        url = /MONITOR_API_URL=(http:\/\/127\.0\.0\.1:\d+\S*)/.exec(simulator.output.join('\n'))?.[1]
        if (simulator.child.exitCode !== null) throw new Error(simulator.output.join('\n'))
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(simulator.output.join('\n')).toContain('MONITOR_API_KEY=try-key')
      const refused = await fetch(`${url}/status`)
      expect(refused.status).toBe(401)
      const answered = await fetch(`${url}/status`, { headers: { 'x-api-key': 'try-key' } })
      expect(await answered.json()).toMatchObject({
        success: true,
        data: { status: { overall_status: 'operational' } },
      })

      // And the service itself, as "Run it for real" says, against it.
      const server = startProcess('node dist/server.js', {
        cwd: ROOT,
        env: { MONITOR_API_URL: url, MONITOR_API_KEY: 'try-key', PORT: '0', HOST: '127.0.0.1' },
      })
      try {
        const base = await server.listening()
        const badge = await fetch(`${base}/badge.json`)
        expect(await badge.json()).toMatchObject({ status: 'operational' })
      } finally {
        server.child.kill('SIGTERM')
        expect(await server.exited).toBe(0)
      }
    } finally {
      simulator.child.kill('SIGTERM')
      expect(await simulator.exited).toBe(0)
    }
  })

  it('refuses a bad port with one line naming the variable', async () => {
    const simulator = startProcess('node dist/dev/simulate.js', { cwd: ROOT, env: { SIMULATOR_PORT: 'high' } })
    expect(await simulator.exited).toBe(1)
    expect(simulator.output.join('\n')).toBe('simulator: SIMULATOR_PORT must be a whole number from 0 to 65535')
  })
})
