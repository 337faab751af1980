import { EventEmitter } from 'node:events'
import { request, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { createEventHub, MAX_BUFFERED_BYTES } from '../../src/events/hub.js'
import { jsonHeaders } from '../../src/http/security.js'
import type { Snapshot, SnapshotStore } from '../../src/status/snapshot.js'
import { useUpstream } from '../helper.js'

const t = useUpstream()

interface Stream {
  readonly response: IncomingMessage
  /** Events received so far, as { event, data } (comments are counted apart). */
  readonly events: Array<{ event: string; data: string }>
  comments: number
  next(count: number, timeoutMs?: number): Promise<void>
  close(): void
  readonly ended: Promise<void>
}

async function listen(app: App): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

/** Opens GET /events and parses what arrives. */
function open(base: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/events`, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const events: Stream['events'] = []
      const waiters: Array<() => void> = []
      let buffer = ''
      const stream: Stream = {
        response,
        events,
        comments: 0,
        next: (count, timeoutMs = 5000) =>
          new Promise<void>((done, fail) => {
            const deadline = setTimeout(() => {
              fail(new Error(`${events.length} events after ${timeoutMs} ms, wanted ${count}`))
            }, timeoutMs)
            const check = () => {
              if (events.length >= count) {
                clearTimeout(deadline)
                done()
              } else waiters.push(check)
            }
            check()
          }),
        close: () => req.destroy(),
        ended: new Promise<void>((done) => response.on('end', done).on('close', done)),
      }
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        buffer += chunk
        let end
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          if (block.startsWith(':')) stream.comments++
          const event = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (event && data !== undefined) events.push({ event, data })
        }
        for (const wake of waiters.splice(0)) wake()
      })
      resolve(stream)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('GET /events', () => {
  it('sends the overall badge JSON on connect, as a status event, uncached and open to any origin', async () => {
    const app = await t.ready()
    const base = await listen(app)
    const stream = await open(base, { origin: 'https://www.example.com' })
    try {
      expect(stream.response.statusCode).toBe(200)
      expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8')
      expect(stream.response.headers['cache-control']).toBe('no-store')
      expect(stream.response.headers['access-control-allow-origin']).toBe('*')
      await stream.next(1)
      expect(stream.events[0]?.event).toBe('status')
      expect(stream.events[0]?.data).toBe((await app.inject('/badge.json')).body)
    } finally {
      stream.close()
    }
  })

  it('sends a new event when the status changes, and none for a poll that changes nothing', async () => {
    const app = await t.ready()
    const stream = await open(await listen(app))
    try {
      await stream.next(1)
      await app.poller.refresh('status')
      await app.poller.refresh('monitors')
      t.upstream.setScenario('major_outage')
      await app.poller.refresh('status')
      await stream.next(2)
      expect(stream.events).toHaveLength(2)
      expect(JSON.parse(stream.events[1]?.data ?? '{}')).toMatchObject({
        status: 'major_outage',
        message: 'major outage',
      })
    } finally {
      stream.close()
    }
  })

  it('refuses a client past EVENTS_MAX_PER_CLIENT, and everyone past EVENTS_MAX_CLIENTS, with 503 and Retry-After', async () => {
    const app = await t.ready({ EVENTS_MAX_PER_CLIENT: '2', EVENTS_MAX_CLIENTS: '2' })
    const base = await listen(app)
    const streams = [await open(base), await open(base)]
    try {
      const refused = await open(base)
      expect(refused.response.statusCode).toBe(503)
      expect(refused.response.headers['retry-after']).toBe('30')
      expect(refused.response.headers['cache-control']).toBe('no-store')
      // One gone: room again.
      streams[0]?.close()
      await streams[0]?.ended
      await new Promise((resolve) => setTimeout(resolve, 50))
      const admitted = await open(base)
      expect(admitted.response.statusCode).toBe(200)
      streams.push(admitted)
      const metrics = (await app.inject('/metrics')).body
      expect(metrics).toMatch(/^badge_proxy_event_streams 2$/m)
      expect(metrics).toMatch(/^badge_proxy_event_streams_refused_total 1$/m)
    } finally {
      for (const stream of streams) stream.close()
    }
  })

  it('ends every stream when shutdown begins, and refuses new ones', async () => {
    const app = await t.ready()
    const base = await listen(app)
    const streams = [await open(base), await open(base)]
    await Promise.all(streams.map((stream) => stream.next(1)))
    app.beginShutdown()
    await Promise.all(streams.map((stream) => stream.ended))
    expect((await open(base)).response.statusCode).toBe(503)
  })
})

/** A stand-in for the raw response: how much it has waiting is ours to say. */
class FakeResponse extends EventEmitter {
  written: string[] = []
  writableLength = 0
  destroyed = false
  writeHead() {
    return this
  }
  write(text: string) {
    this.written.push(text)
    return true
  }
  end() {
    this.emit('close')
  }
  destroy() {
    this.destroyed = true
    this.emit('close')
  }
}

describe('the event hub', () => {
  function hubWith(heartbeatMs = 60_000) {
    let listener: ((snapshot: Snapshot) => void) | undefined
    let n = 0
    const snapshot = () => ({ generation: ++n }) as unknown as Snapshot
    const store = {
      current: snapshot,
      subscribe: (l: (s: Snapshot) => void) => {
        listener = l
        return () => undefined
      },
    } as unknown as SnapshotStore
    let status = 'operational'
    const hub = createEventHub({
      store,
      event: () => ({ key: status, data: JSON.stringify({ status }) }),
      maxClients: 10,
      maxPerClient: 10,
      heartbeatMs,
      headers: jsonHeaders('*'),
    })
    const connect = () => {
      const res = new FakeResponse()
      const reply = { raw: res, hijack: () => undefined, getHeaders: () => ({}) } as unknown as FastifyReply
      void hub.accept({ ip: '127.0.0.1' } as FastifyRequest, reply)
      return res
    }
    const change = (next: string) => {
      status = next
      listener?.(snapshot())
    }
    return { hub, connect, change }
  }

  it('drops a client that has stopped reading, instead of buffering for it', () => {
    const { hub, connect, change } = hubWith()
    const reading = connect()
    const stuck = connect()
    stuck.writableLength = MAX_BUFFERED_BYTES + 1
    change('degraded')
    expect(stuck.destroyed).toBe(true)
    expect(reading.written.at(-1)).toContain('"degraded"')
    expect(hub.stats()).toMatchObject({ open: 1, dropped: 1 })
    hub.close()
  })

  it('sends a heartbeat comment while a stream is open', async () => {
    const { hub, connect } = hubWith(20)
    const res = connect()
    await new Promise((resolve) => setTimeout(resolve, 70))
    expect(res.written.filter((text) => text === ': heartbeat\n\n').length).toBeGreaterThanOrEqual(2)
    hub.close()
    expect(hub.stats().open).toBe(0)
  })
})
