import { connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { CONNECTIONS_BESIDE_STREAMS, connectionCap, SERVER_LIMITS, type ServerLimits } from '../../src/http/limits.js'
import { buildTestApp, firstPolls, useUpstream } from '../helper.js'

/** The limits scaled down to a test's patience; the defaults are checked on their own below. */
const FAST: Partial<ServerLimits> = {
  headersTimeoutMs: 600,
  requestTimeoutMs: 900,
  keepAliveTimeoutMs: 800,
  sendTimeoutMs: 600,
  checkEveryMs: 100,
  maxConnections: 12,
  finishWithinMs: 700,
}

const upstream = useUpstream()
const WEBHOOK_TOKEN = 'whk_0123456789abcdefghijklmnop'
/** A live-update stream's request, and a webhook whose body stops after 10 of the 1000 bytes it announced. */
const EVENTS = 'GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n'
const HALF_WEBHOOK = `POST /webhook HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WEBHOOK_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"event":`

const fleet = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    name: `Monitor ${i + 1} ${'x'.repeat(60)}`,
    type: 'https',
    target: 'https://10.0.0.1/',
    status: 'up',
    is_active: 1,
  }))

/** Resolves with the time (ms) `condition` took to hold, checked every 20 ms; rejects after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = performance.now()
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('timed out waiting')
    await sleep(20)
  }
  return performance.now() - started
}

async function listening(
  limits: Partial<ServerLimits> = FAST,
  deps: { firstPollWaitMs?: number; eventsHeartbeatMs?: number } = {},
  env: Record<string, string> = {},
): Promise<{ app: App; port: number }> {
  upstream.upstream.state.monitors = fleet(3000)
  const { app } = await buildTestApp({
    upstream: upstream.upstream,
    env: { PUBLIC_COMPONENTS: '*', WEBHOOK_TOKEN, ...env },
    deps: { limits, ...deps },
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  if (deps.firstPollWaitMs === undefined) await firstPolls(app)
  else await app.poller.firstAttempt('monitors')
  const address = app.server.address()
  return { app, port: typeof address === 'object' && address ? address.port : 0 }
}

interface Client {
  readonly socket: Socket
  /** Resolves with the time (ms since opening) the connection closed (a paused one notices once resumed). */
  readonly closed: Promise<number>
  received: string
}

/** A raw connection that sends `head` and then does what the test says: nothing, by default. */
function open(port: number, head = '', options: { read?: boolean } = {}): Client {
  const socket = connect(port, '127.0.0.1')
  const started = performance.now()
  const client: Client = {
    socket,
    received: '',
    closed: new Promise((resolve) => {
      socket.once('close', () => {
        resolve(performance.now() - started)
      })
    }),
  }
  socket.on('error', () => undefined)
  if (options.read === false) socket.pause()
  else socket.on('data', (chunk: Buffer) => (client.received += chunk.toString('latin1')))
  if (head) socket.write(head)
  return client
}

/** Badge requests over fresh connections while something else goes on: every one must be answered. */
async function servedMeanwhile(port: number, ms: number): Promise<number> {
  const until = performance.now() + ms
  let served = 0
  while (performance.now() < until) {
    const response = await fetch(`http://127.0.0.1:${port}/badge.svg`, { headers: { connection: 'close' } })
    expect(response.status).toBe(200)
    await response.text()
    served++
    await sleep(20)
  }
  return served
}

const pipelined = (path: string, n: number) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`.repeat(n)

describe('server limits', () => {
  it('a half-sent request is answered 408 and closed once its head is late; others are served meanwhile', async () => {
    const { app, port } = await listening()
    try {
      const half = open(port, 'GET /badge.svg HTTP/1.1\r\nHost: x\r\n')
      const dribble = open(port, 'GET /badge.svg HTTP/1.1\r\n')
      const silent = open(port)
      const served = servedMeanwhile(port, 900)
      const times = await Promise.all([half.closed, dribble.closed, silent.closed])
      expect(await served).toBeGreaterThan(5)
      for (const ms of times) {
        expect(ms).toBeGreaterThanOrEqual(600 - 50)
        expect(ms).toBeLessThan(600 + 2 * 100 + 500)
      }
      expect(half.received).toMatch(/^HTTP\/1\.1 408 /)
    } finally {
      await app.close()
    }
  })

  it('a client that stops reading is dropped once its answer has waited the send timeout; others are served', async () => {
    const { app, port } = await listening()
    try {
      // Far more than the kernel's buffers hold: the rest waits in the service.
      const stalled = open(port, pipelined('/components.json', 400), { read: false })
      let slowRead = 0
      const slow = open(port, pipelined('/components.json', 400), { read: false })
      const trickle = setInterval(() => {
        // A slow reader: a little now and then, never enough.
        const chunk: unknown = slow.socket.read(1024)
        if (Buffer.isBuffer(chunk)) slowRead += chunk.length
      }, 50)
      const served = servedMeanwhile(port, 1500)
      const started = performance.now()
      await until(() => app.connections.dropped().send_timeout === 2, 5_000)
      const droppedAfter = performance.now() - started
      clearInterval(trickle)
      expect(await served).toBeGreaterThan(10)
      expect(slowRead).toBeGreaterThan(0)
      // Queued for the send timeout, noticed within two checks.
      expect(droppedAfter).toBeGreaterThanOrEqual(600 - 100)
      expect(droppedAfter).toBeLessThan(600 + 2 * 100 + 1000)
      // The clients see the connection gone once they look.
      stalled.socket.resume()
      slow.socket.resume()
      await Promise.all([stalled.closed, slow.closed])
      expect(app.connections.open()).toBe(0)
    } finally {
      await app.close()
    }
  })

  it('an idle keep-alive connection is closed after keepAliveTimeout', async () => {
    const { app, port } = await listening()
    try {
      const client = open(port, 'GET /badge.svg HTTP/1.1\r\nHost: x\r\n\r\n')
      const ms = await client.closed
      expect(client.received).toMatch(/^HTTP\/1\.1 200 /)
      // Node adds its keepAliveTimeoutBuffer (1 s) to the socket's own timeout.
      expect(ms).toBeGreaterThanOrEqual(800 - 50)
      expect(ms).toBeLessThan(800 + 1000 + 1000)
    } finally {
      await app.close()
    }
  })

  it('refuses connections past the cap and serves again once there is room', async () => {
    const { app, port } = await listening()
    try {
      const held = Array.from({ length: 12 }, () => open(port))
      await sleep(200)
      const refused = open(port, 'GET /badge.svg HTTP/1.1\r\nHost: x\r\n\r\n')
      expect(await refused.closed).toBeLessThan(500)
      expect(refused.received).toBe('')
      expect(app.connections.dropped().at_capacity).toBeGreaterThanOrEqual(1)
      for (const client of held.slice(0, 4)) client.socket.destroy()
      await sleep(100)
      expect(await servedMeanwhile(port, 200)).toBeGreaterThan(0)
      for (const client of held) client.socket.destroy()
    } finally {
      await app.close()
    }
  })

  it('accepts a request head of 16 KiB and answers 431 to a larger one', async () => {
    const { app, port } = await listening()
    try {
      const head = (bytes: number) => {
        const start = 'GET /badge.svg?logo=data:image/svg%2bxml;base64,'
        const end = ' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
        return `${start}${'A'.repeat(bytes - start.length - end.length)}${end}`
      }
      expect(head(16 * 1024)).toHaveLength(16 * 1024)
      const accepted = open(port, head(16 * 1024))
      await accepted.closed
      expect(accepted.received).toMatch(/^HTTP\/1\.1 200 /)
      expect(accepted.received).toContain('<svg')
      const refused = open(port, head(17 * 1024))
      await refused.closed
      expect(refused.received).toMatch(/^HTTP\/1\.1 431 /)
    } finally {
      await app.close()
    }
  })

  it('a webhook whose body never ends is answered 408 once the request timeout is up; others are served', async () => {
    const { app, port } = await listening()
    try {
      const half = open(port, HALF_WEBHOOK)
      const served = servedMeanwhile(port, 1200)
      const ms = await half.closed
      expect(await served).toBeGreaterThan(5)
      // The head came at once: the request timeout (900 ms), not the headers timeout, ends it.
      expect(ms).toBeGreaterThanOrEqual(900 - 50)
      expect(ms).toBeLessThan(900 + 2 * 100 + 500)
      expect(half.received).toMatch(/^HTTP\/1\.1 408 /)
      // A whole one meanwhile is taken as usual.
      const whole = await fetch(`http://127.0.0.1:${port}/webhook`, {
        method: 'POST',
        headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
        body: '{"event":"monitor.down"}',
      })
      expect(whole.status).toBe(202)
    } finally {
      await app.close()
    }
  })

  it('a live-update stream outlives every timeout while its client reads: heartbeats and events keep coming', async () => {
    const { app, port } = await listening(FAST, { eventsHeartbeatMs: 150 })
    try {
      const stream = open(port, EVENTS)
      let closed = false
      void stream.closed.then(() => (closed = true))
      // Three times the longest timeout (request 900 ms), with the heartbeat well apart from the checks.
      await sleep(3 * 900)
      expect(closed).toBe(false)
      expect(stream.received).toMatch(/^HTTP\/1\.1 200 /)
      expect(stream.received).toContain('content-type: text/event-stream')
      expect(stream.received.match(/^: heartbeat$/gm)?.length ?? 0).toBeGreaterThanOrEqual(8)
      // A change of status still reaches it.
      upstream.upstream.setScenario('degraded')
      await app.poller.refresh('status')
      await sleep(200)
      expect(stream.received.match(/^event: status$/gm)).toHaveLength(2)
      expect(closed).toBe(false)
      expect(app.connections.dropped()).toEqual({ send_timeout: 0, at_capacity: 0, shutdown: 0 })
      stream.socket.destroy()
    } finally {
      await app.close()
    }
  })

  it('keeps room for every live-update stream allowed, and as many connections again', async () => {
    const { app } = await listening({}, {}, { EVENTS_MAX_CLIENTS: '5000' })
    try {
      expect(app.server.maxConnections).toBe(5000 + CONNECTIONS_BESIDE_STREAMS)
    } finally {
      await app.close()
    }
    expect(connectionCap(1000)).toBe(SERVER_LIMITS.maxConnections)
    expect(connectionCap(0)).toBe(SERVER_LIMITS.maxConnections)
  })

  it('are the documented ones by default, set on the server', async () => {
    const { app } = await listening({})
    try {
      expect(app.server.headersTimeout).toBe(SERVER_LIMITS.headersTimeoutMs)
      expect(app.server.requestTimeout).toBe(SERVER_LIMITS.requestTimeoutMs)
      expect(app.server.keepAliveTimeout).toBe(SERVER_LIMITS.keepAliveTimeoutMs)
      expect(app.server.maxHeadersCount).toBe(null)
      expect(app.server.timeout).toBe(0)
      expect(app.server.maxConnections).toBe(SERVER_LIMITS.maxConnections)
      expect(SERVER_LIMITS.maxConnections).toBeGreaterThanOrEqual(2 * 1000)
      expect(SERVER_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(SERVER_LIMITS.requestTimeoutMs)
      expect(SERVER_LIMITS.sendTimeoutMs).toBeGreaterThanOrEqual(SERVER_LIMITS.checkEveryMs)
    } finally {
      await app.close()
    }
  })
})

describe('closing gracefully', () => {
  it('lets a request in flight finish, then ends half-sent, idle and non-reading connections', async () => {
    // The first poll of /status hangs: a badge request waits for it, 500 ms at most, then answers.
    upstream.upstream.override('/status', { delayMs: 5_000 })
    // A send timeout longer than the close: the non-reading client is still there when it ends.
    const { app, port } = await listening({ ...FAST, sendTimeoutMs: 10_000 }, { firstPollWaitMs: 500 })
    const stalled = open(port, pipelined('/components.json', 400), { read: false })
    const live = open(port, EVENTS)
    // The stream is open (its first event in) before the close: a loaded machine may take a while.
    await until(() => live.received.includes('event: status'), 5_000)
    // Opened only now, so that none of them has met its own (short) timeout when the close begins.
    const idle = open(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
    const half = open(port, 'GET /badge.svg HTTP/1.1\r\nHost: x\r\n')
    const webhook = open(port, HALF_WEBHOOK)
    let taken = false
    app.server.on('request', (request: { url?: string }) => (taken ||= request.url === '/badge.json'))
    const inFlight = fetch(`http://127.0.0.1:${port}/badge.json`)
    // In flight when the close begins: the service has its head (a busy process may take a while to read it).
    await until(() => taken, 5_000)
    const started = performance.now()
    await app.closeGracefully()
    const took = performance.now() - started
    stalled.socket.resume()
    const times = await Promise.all([idle.closed, half.closed, stalled.closed, webhook.closed, live.closed])
    // The live stream was ended by the service when shutdown began, as a stream ends: not cut.
    expect(live.received).toMatch(/^HTTP\/1\.1 200 /)
    expect(live.received).toMatch(/\r\n0\r\n\r\n$/)
    const answer = await inFlight
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ status: 'unknown' })
    expect(took).toBeGreaterThanOrEqual(FAST.finishWithinMs ?? 0)
    expect(took).toBeLessThan((FAST.finishWithinMs ?? 0) + 1_000)
    expect(times.every((ms) => ms > 0)).toBe(true)
    expect(app.connections.open()).toBe(0)
    // The half-sent one at least was still open at the deadline (a non-reading one may go earlier, as idle).
    expect(app.connections.dropped()).toMatchObject({ send_timeout: 0 })
    expect(app.connections.dropped().shutdown).toBeGreaterThanOrEqual(1)
  })

  it('ends at once when nothing is left open', async () => {
    const { app, port } = await listening()
    const response = await fetch(`http://127.0.0.1:${port}/badge.svg`)
    expect(response.status).toBe(200)
    await response.text()
    const started = performance.now()
    await app.closeGracefully()
    expect(performance.now() - started).toBeLessThan(500)
  })
})
