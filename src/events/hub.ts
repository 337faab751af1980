import type { ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { NO_STORE } from '../badge/cache-policy.js'
import type { Snapshot, SnapshotStore } from '../status/snapshot.js'

/** Comments keep proxies from timing an idle stream out: at least every 30 s (issue 12). */
export const HEARTBEAT_MS = 25_000
/**
 * Bytes a stream may have waiting to be sent: some 80 status events. A client
 * past it has stopped reading and is dropped, never buffered for.
 */
export const MAX_BUFFERED_BYTES = 16 * 1024
/** What a refused client is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 30
/** What an EventSource waits before reconnecting after a stream ends. */
const RECONNECT_MS = 5_000

/** The `status` event of a snapshot: its bytes, and a key that changes only when its content does. */
export interface StatusEvent {
  readonly key: string
  readonly data: string
}

export interface EventHubOptions {
  readonly store: SnapshotStore
  /** The overall badge's JSON for a snapshot, as /badge.json says it. */
  readonly event: (snapshot: Snapshot) => StatusEvent
  readonly maxClients: number
  readonly maxPerClient: number
  readonly heartbeatMs?: number
  /** The JSON answers' headers (http/security.ts jsonHeaders): a stream and a refusal carry them too. */
  readonly headers: Readonly<Record<string, string>>
}

interface Stream {
  readonly res: ServerResponse
  readonly address: string
}

const frame = (event: StatusEvent) => `event: status\ndata: ${event.data}\n\n`

/**
 * The live-update streams (GET /events, Server-Sent Events): one owner for
 * all of them. Each stream gets the current status on connect and a new
 * event each time the status's content changes (a poll that changes nothing
 * sends nothing); a heartbeat comment keeps it open. Bounded in count, in
 * all and per client address, and in what each may have waiting; all are
 * ended when shutdown begins.
 *
 * Hand-written on the raw response rather than @fastify/sse: a Fastify
 * plugin must be registered before the server starts, so that library could
 * not load on first use (the memory figures of README "Memory" hold without
 * it); and a stream here only ever sends one kind of small event, for which
 * its replay and async-iterator machinery would be dead weight per stream.
 */
export function createEventHub(options: EventHubOptions) {
  const { store, maxClients, maxPerClient } = options
  const streams = new Set<Stream>()
  const perAddress = new Map<string, number>()
  let current: StatusEvent | undefined
  let accepting = true
  let refused = 0
  let dropped = 0
  let timer: NodeJS.Timeout | undefined

  function remove(stream: Stream) {
    if (!streams.delete(stream)) return
    const left = (perAddress.get(stream.address) ?? 1) - 1
    if (left > 0) perAddress.set(stream.address, left)
    else perAddress.delete(stream.address)
    if (streams.size === 0) stopHeartbeat()
  }

  /** Writes to a stream, or drops it when its client has stopped reading. */
  function write(stream: Stream, text: string) {
    if (stream.res.writableLength > MAX_BUFFERED_BYTES) {
      dropped++
      remove(stream)
      stream.res.destroy()
      return
    }
    stream.res.write(text)
  }

  function startHeartbeat() {
    if (timer) return
    timer = setInterval(() => {
      for (const stream of streams) write(stream, ': heartbeat\n\n')
    }, options.heartbeatMs ?? HEARTBEAT_MS)
    timer.unref()
  }

  function stopHeartbeat() {
    clearInterval(timer)
    timer = undefined
  }

  const unsubscribe = store.subscribe((snapshot) => {
    if (streams.size === 0) {
      current = undefined
      return
    }
    const next = options.event(snapshot)
    if (next.key === current?.key) return
    current = next
    const text = frame(next)
    for (const stream of streams) write(stream, text)
  })

  function refuse(reply: FastifyReply, reason: string) {
    refused++
    return reply
      .code(503)
      .headers({ ...options.headers, 'cache-control': NO_STORE, 'retry-after': String(RETRY_AFTER_SECONDS) })
      .type('application/json; charset=utf-8')
      .send({ error: reason })
  }

  return {
    /** Answers GET /events: a stream, or 503 with Retry-After when there is no room (or shutdown has begun). */
    accept(request: FastifyRequest, reply: FastifyReply) {
      if (!accepting) return refuse(reply, 'shutting down')
      const address = request.ip
      if (streams.size >= maxClients) return refuse(reply, 'too many live-update streams')
      if ((perAddress.get(address) ?? 0) >= maxPerClient)
        return refuse(reply, 'too many live-update streams from this address')

      current ??= options.event(store.current())
      const stream: Stream = { res: reply.raw, address }
      streams.add(stream)
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
      reply.hijack()
      // The headers Fastify's hooks set (CORS) travel too: the reply is hijacked.
      reply.raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        ...options.headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': NO_STORE,
        'x-accel-buffering': 'no',
      })
      reply.raw.write(`retry: ${RECONNECT_MS}\n${frame(current)}`)
      reply.raw.on('close', () => {
        remove(stream)
      })
      startHeartbeat()
      return reply
    },

    /** Shutdown: no new streams, and every open one ended now (EventSources reconnect elsewhere). */
    close() {
      accepting = false
      unsubscribe()
      stopHeartbeat()
      for (const stream of [...streams]) {
        remove(stream)
        stream.res.end()
      }
    },

    stats() {
      return { open: streams.size, refused, dropped }
    },
  }
}

export type EventHub = ReturnType<typeof createEventHub>
