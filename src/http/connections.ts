import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'
import type { ServerLimits } from './limits.js'

/** Why a connection was ended here rather than by its client. */
export type DropReason = 'send_timeout' | 'at_capacity' | 'shutdown'

export interface ConnectionGuard {
  /** Connections open now. */
  open(): number
  /** Connections ended here so far, by reason (metrics). */
  dropped(): Readonly<Record<DropReason, number>>
  /**
   * Closes the server (app.close(), passed in) and gives requests in flight
   * `limits.finishWithinMs`; then ends every connection still open: a
   * half-sent request, a client that does not read, a keep-alive socket
   * that no response released.
   */
  closeWithin(close: () => Promise<void>): Promise<void>
  /** Stops the checks (onClose). */
  stop(): void
}

/**
 * The connections of one server, counted as they open and close (a Map
 * entry per connection, nothing per request). A check every
 * `checkEveryMs` ends a connection whose answer has waited `sendTimeoutMs`
 * for the client to take it: its bytes are queued in this process because
 * the socket's buffers are full, and would stay there for as long as the
 * client likes. Node's own checks end heads and bodies that are late.
 */
export function guardConnections(server: Server, limits: ServerLimits, log: FastifyBaseLogger): ConnectionGuard {
  /** Each open socket, and since when (ms) an answer has waited on it; 0 when none is waiting. */
  const sockets = new Map<Socket, number>()
  const dropped: Record<DropReason, number> = { send_timeout: 0, at_capacity: 0, shutdown: 0 }
  server.maxConnections = limits.maxConnections

  server.on('connection', function trackConnection(socket: Socket) {
    sockets.set(socket, 0)
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('drop', function countRefused() {
    dropped.at_capacity++
  })

  function dropStalledSenders() {
    const now = performance.now()
    for (const [socket, waitingSince] of sockets) {
      if (socket.writableLength === 0) {
        if (waitingSince !== 0) sockets.set(socket, 0)
      } else if (waitingSince === 0) {
        sockets.set(socket, now)
      } else if (now - waitingSince >= limits.sendTimeoutMs) {
        dropped.send_timeout++
        socket.destroy()
      }
    }
  }
  const check = setInterval(dropStalledSenders, limits.checkEveryMs)
  check.unref()

  return {
    open: () => sockets.size,
    dropped: () => ({ ...dropped }),
    async closeWithin(close) {
      // Node closes idle connections when the listener closes; these release
      // keep-alive sockets whose last answer ends after that.
      const sweep = setInterval(() => {
        server.closeIdleConnections()
      }, 100)
      const deadline = setTimeout(() => {
        const open = sockets.size
        if (open === 0) return
        dropped.shutdown += open
        log.info({ connections: open, afterMs: limits.finishWithinMs }, 'closing connections still open')
        server.closeAllConnections()
        for (const socket of sockets.keys()) socket.destroy()
      }, limits.finishWithinMs)
      try {
        await close()
      } finally {
        clearInterval(sweep)
        clearTimeout(deadline)
      }
    },
    stop() {
      clearInterval(check)
    },
  }
}
