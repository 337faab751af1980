import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from '../src/dev/simulator.js'
import { startTestUpstream, TEST_API_KEY } from './helper.js'
import { fetchRecorded, startProcess } from './process.js'
import { svgFacts } from './svg.js'

const ROOT = resolve(import.meta.dirname, '..')
let upstream: Simulator
let workdir: string
let startScript: string

beforeAll(async () => {
  upstream = await startTestUpstream()
  // `npm start` as written in package.json, run from a folder of our own so
  // that its .env is the test's, with the built server linked in.
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  startScript = pkg.scripts.start ?? ''
  workdir = await mkdtemp(join(tmpdir(), 'badge-proxy-'))
  await symlink(join(ROOT, 'dist'), join(workdir, 'dist'))
})
afterAll(async () => {
  await upstream.close()
  await rm(workdir, { recursive: true, force: true })
})

describe('the server process', () => {
  it('stops with exit 1 and names the missing variable', async () => {
    const server = startProcess(startScript, { cwd: workdir, env: {} })
    expect(await server.exited).toBe(1)
    expect(server.output.join('\n')).toContain('MONITOR_API_KEY is required')
    // No .env here: nothing to say about it.
    expect(server.output.join('\n')).not.toMatch(/\.env|not found/i)
  })

  it('names a bad HOST as a configuration error', async () => {
    const server = startProcess(startScript, {
      cwd: workdir,
      env: { MONITOR_API_KEY: TEST_API_KEY, HOST: 'not a host' },
    })
    expect(await server.exited).toBe(1)
    expect(server.output.join('\n')).toContain('HOST must be an IP address')
  })

  it('names a bad variable without echoing the key', async () => {
    const server = startProcess(startScript, {
      cwd: workdir,
      env: { MONITOR_API_KEY: TEST_API_KEY, CACHE_TTL_SECONDS: '1' },
    })
    expect(await server.exited).toBe(1)
    const output = server.output.join('\n')
    expect(output).toContain('CACHE_TTL_SECONDS must be a whole number from 5 to 3600')
    expect(output).not.toContain(TEST_API_KEY)
  })

  it('reads .env, lets the real environment win, serves, and exits 0 on SIGTERM', async () => {
    await writeFile(
      join(workdir, '.env'),
      [
        `MONITOR_API_KEY=${TEST_API_KEY}`,
        `MONITOR_API_URL=${upstream.url}`,
        'HOST=127.0.0.1',
        'PORT=0',
        'BADGE_LABEL=from dotenv',
        'CACHE_TTL_SECONDS=6',
        'SHUTDOWN_DRAIN_SECONDS=1',
      ].join('\n'),
    )
    const server = startProcess(startScript, { cwd: workdir, env: { BADGE_LABEL: 'from env' } })
    try {
      const url = await server.listening()
      const badge = await fetchRecorded(`${url}/badge.svg`)
      expect(badge.status).toBe(200)
      expect(svgFacts(await badge.text()).texts).toEqual(['from env', 'operational'])
      expect((await fetchRecorded(`${url}/readyz`)).status).toBe(200)
      // TTL 6 s would be 1200 calls an hour, over UPSTREAM_MAX_PER_HOUR's 500: it
      // starts anyway, says so once, naming the variables and the real interval.
      const paced = server.output.filter((line) => line.includes('would poll more often than'))
      expect(paced).toHaveLength(1)
      expect(paced[0]).toMatch(/CACHE_TTL_SECONDS=6 .*UPSTREAM_MAX_PER_HOUR=500 .*polling every 15 s instead/)
      expect(server.output.find((line) => line.includes('status-badge-proxy started'))).toContain(
        '"pollEverySeconds":15',
      )

      const started = Date.now()
      server.child.kill('SIGTERM')
      // Draining: still serving badges, but no longer ready.
      await new Promise((r) => setTimeout(r, 200))
      const readyz = await fetchRecorded(`${url}/readyz`)
      expect(readyz.status).toBe(503)
      expect(readyz.headers.get('cache-control')).toBe('no-store')
      expect(await readyz.json()).toEqual({ ready: false, reason: 'shutting down' })
      expect((await fetchRecorded(`${url}/badge.svg`)).status).toBe(200)
      expect(await server.exited).toBe(0)
      const took = Date.now() - started
      expect(took).toBeGreaterThanOrEqual(1_000)
      expect(took).toBeLessThan(10_000)
      const output = server.output.join('\n')
      expect(output).toContain('shutting down: polls stopped, draining')
      expect(output).toContain('closing: finishing requests in flight')
    } finally {
      server.child.kill('SIGKILL')
      await rm(join(workdir, '.env'), { force: true })
    }
  })

  it('ends open live-update streams within the drain and exits 0 on SIGTERM', async () => {
    const server = startProcess(startScript, {
      cwd: workdir,
      env: { MONITOR_API_KEY: TEST_API_KEY, MONITOR_API_URL: upstream.url, HOST: '127.0.0.1', PORT: '0' },
    })
    try {
      const url = await server.listening()
      const { request } = await import('node:http')
      const streams = await Promise.all(
        Array.from(
          { length: 5 },
          () =>
            new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
              request(`${url}/events`, (response) => {
                response.resume()
                resolve(response)
              })
                .on('error', reject)
                .end()
            }),
        ),
      )
      expect(streams.map((s) => s.statusCode)).toEqual([200, 200, 200, 200, 200])
      const ended = Promise.all(streams.map((s) => new Promise((resolve) => s.on('close', resolve))))
      const started = Date.now()
      server.child.kill('SIGTERM')
      await ended
      // The streams end when the drain begins, not when it is over.
      expect(Date.now() - started).toBeLessThan(1_000)
      expect(await server.exited).toBe(0)
      expect(Date.now() - started).toBeLessThan(10_000)
    } finally {
      server.child.kill('SIGKILL')
    }
  })

  it('finishes a request in flight before exiting on SIGTERM', async () => {
    // The first poll hangs, so a badge request waits (at most 2 s) for it.
    upstream.override('/status', { delayMs: 8_000 })
    const server = startProcess(startScript, {
      cwd: workdir,
      env: {
        MONITOR_API_KEY: TEST_API_KEY,
        MONITOR_API_URL: upstream.url,
        HOST: '127.0.0.1',
        PORT: '0',
        UPSTREAM_TIMEOUT_MS: '10000',
        SHUTDOWN_DRAIN_SECONDS: '0',
      },
    })
    try {
      const url = await server.listening()
      const inFlight = fetchRecorded(`${url}/badge.json`)
      await new Promise((r) => setTimeout(r, 300))
      const started = Date.now()
      server.child.kill('SIGTERM')
      const response = await inFlight
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ status: 'unknown' })
      expect(await server.exited).toBe(0)
      expect(Date.now() - started).toBeLessThan(10_000)
    } finally {
      upstream.override('/status', undefined)
      server.child.kill('SIGKILL')
    }
  })
})
