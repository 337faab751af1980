import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { connect, type Socket } from 'node:net'
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

  it.each([
    ['the default drain', '2'],
    ['no drain', '0'],
    ['the longest drain', '5'],
  ])(
    'exits 0 within 10 s on SIGTERM whatever the clients do (%s): half-sent, idle, not reading, reading slowly, live streams, unfinished webhooks',
    async (_, drain) => {
      upstream.state.monitors = Array.from({ length: 3000 }, (_, i) => ({
        id: i + 1,
        name: `Monitor ${i + 1} ${'x'.repeat(60)}`,
        type: 'https',
        target: 'https://10.0.0.1/',
        status: 'up',
        is_active: 1,
      }))
      const server = startProcess(startScript, {
        cwd: workdir,
        env: {
          MONITOR_API_KEY: TEST_API_KEY,
          MONITOR_API_URL: upstream.url,
          HOST: '127.0.0.1',
          PORT: '0',
          PUBLIC_COMPONENTS: '*',
          SHUTDOWN_DRAIN_SECONDS: drain,
          WEBHOOK_TOKEN: 'whk_0123456789abcdefghijklmnop',
        },
      })
      const sockets: Socket[] = []
      const raw = (head: string) => {
        const socket = connect(Number(new URL(base).port), '127.0.0.1')
        socket.on('error', () => undefined)
        socket.write(head)
        sockets.push(socket)
        return socket
      }
      let base = ''
      try {
        base = await server.listening()
        expect((await fetchRecorded(`${base}/components.json`)).status).toBe(200)
        for (let i = 0; i < 20; i++) raw('GET /badge.svg HTTP/1.1\r\nHost: x\r\n').resume()
        for (let i = 0; i < 20; i++) raw('GET /badge.svg HTTP/1.1\r\nHost: x\r\n\r\n').resume()
        for (let i = 0; i < 5; i++) raw('GET /components.json HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(200)).pause()
        // Live-update streams, read, and webhooks whose bodies stop short.
        for (let i = 0; i < 5; i++) raw('GET /events HTTP/1.1\r\nHost: x\r\n\r\n').resume()
        for (let i = 0; i < 5; i++) {
          raw(
            'POST /webhook HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer whk_0123456789abcdefghijklmnop\r\n' +
              'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"event":',
          ).resume()
        }
        await new Promise((r) => setTimeout(r, 300))

        // A client reading a large answer at a steady pace, asked for just before the listener
        // closes: it is in flight when the close begins, and must arrive whole.
        let received = ''
        let reader: Socket | undefined
        let pace: NodeJS.Timeout | undefined
        const drainRead = () => {
          for (let chunk: unknown = reader?.read(8192); Buffer.isBuffer(chunk); chunk = reader?.read(8192))
            received += chunk.toString('latin1')
        }
        const startReader = () => {
          reader = raw('GET /components.json HTTP/1.1\r\nHost: x\r\n\r\n')
          reader.pause()
          pace = setInterval(drainRead, 20)
        }
        if (drain === '0') {
          startReader()
          // Its answer has begun (a busy process may take a while to parse the request).
          for (let waited = 0; received === '' && waited < 5_000; waited += 20) {
            await new Promise((r) => setTimeout(r, 20))
          }
        }
        const started = Date.now()
        server.child.kill('SIGTERM')
        if (drain !== '0') {
          await new Promise((r) => setTimeout(r, Number(drain) * 1000 - 200))
          startReader()
        }
        const code = await server.exited
        const took = Date.now() - started
        await new Promise((r) => setTimeout(r, 200))
        clearInterval(pace)
        drainRead()
        console.log(
          `SIGTERM with drain ${drain} s and ${sockets.length} stuck clients: exit ${String(code)} after ${took} ms`,
        )
        expect(code).toBe(0)
        expect(took).toBeLessThan(10_000)
        expect(took).toBeGreaterThanOrEqual(Number(drain) * 1000)
        const [head = '', body = ''] = received.split('\r\n\r\n')
        expect(head).toMatch(/^HTTP\/1\.1 200 OK/)
        // Answered once shutdown had begun (during the drain), it asks the client to reconnect elsewhere.
        if (drain !== '0') expect(head.toLowerCase()).toContain('connection: close')
        expect(Buffer.byteLength(body, 'latin1')).toBe(Number(/content-length: (\d+)/i.exec(head)?.[1]))
        expect(Buffer.byteLength(body, 'latin1')).toBeGreaterThan(200_000)
        expect(server.output.join('\n')).toContain('closing connections still open')
      } finally {
        for (const socket of sockets) socket.destroy()
        server.child.kill('SIGKILL')
      }
    },
    20_000,
  )

  it("gives startup's memory back once its first polls have settled (npm start's flags)", async () => {
    const server = startProcess(startScript, {
      cwd: workdir,
      env: {
        MONITOR_API_KEY: TEST_API_KEY,
        MONITOR_API_URL: upstream.url,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'debug',
      },
    })
    try {
      await server.listening()
      let line: string | undefined
      for (let i = 0; i < 50 && !line; i++) {
        await new Promise((r) => setTimeout(r, 100))
        line = server.output.find((l) => l.includes('memory given back'))
      }
      const record = JSON.parse(line ?? '{}') as { reason?: string; rssBeforeMb?: number; rssAfterMb?: number }
      expect(record.reason).toBe('startup')
      // V8's young generation, grown by startup, goes back: some 10 MB (README, "Memory").
      expect(record.rssAfterMb).toBeLessThan((record.rssBeforeMb ?? 0) - 4)
    } finally {
      server.child.kill('SIGKILL')
    }
  })
})
