import type { ServerOptions } from 'node:http'
import type { FastifyServerOptions } from 'fastify'

/**
 * What a client may cost the server, each bound chosen for a reason
 * (docs/operations.md, "Server limits", says them all). Every state a
 * connection can be in ends: waiting for a head (headersTimeoutMs), for a
 * body (requestTimeoutMs), idle between requests (keepAliveTimeoutMs),
 * refusing to take an answer (sendTimeoutMs), or still open at shutdown
 * (finishWithinMs). None is an idle timeout on an answer in progress: a live
 * stream with nothing to say is never cut for being quiet.
 */
export interface ServerLimits {
  /** From a connection's opening (or a keep-alive request's first byte), its head must be in by then. */
  readonly headersTimeoutMs: number
  /** The whole request, head and body. */
  readonly requestTimeoutMs: number
  /** A connection with no request in progress is closed after this long. */
  readonly keepAliveTimeoutMs: number
  /** An answer the client has not taken (its bytes still queued here) this long ends the connection. */
  readonly sendTimeoutMs: number
  /** How often the timeouts are checked: each takes effect within this much after it is due. */
  readonly checkEveryMs: number
  /** Open connections at most; one more is closed as soon as it is accepted. */
  readonly maxConnections: number
  /** The largest request head accepted (request line and headers); larger ones get 431. */
  readonly maxHeaderBytes: number
  /** At shutdown, once the listener is closed, how long requests in flight have before every connection is closed. */
  readonly finishWithinMs: number
}

export const SERVER_LIMITS: ServerLimits = {
  // A slow link sends a 16 KiB head in well under a second; a client that
  // takes longer is dribbling bytes to hold a connection (slowloris).
  headersTimeoutMs: 10_000,
  // Requests here have no body but POST /webhook's, 64 KiB at most: well
  // within this on any link. Counted to the request's end, not the
  // answer's: a live stream is never cut by it.
  requestTimeoutMs: 15_000,
  // Longer than the idle timeout of the load balancers usually in front
  // (60 s), so that they never send a request on a connection being closed
  // here; Fastify's own default, kept on purpose.
  keepAliveTimeoutMs: 72_000,
  // Long enough for a slow phone to take a large /components.json, short
  // enough that clients that stop reading cannot pile up answers in memory.
  sendTimeoutMs: 30_000,
  checkEveryMs: 1_000,
  // Live-update streams (GET /events) are capped at EVENTS_MAX_CLIENTS,
  // 1000 by default: as many again for badge and page traffic (a larger
  // EVENTS_MAX_CLIENTS raises the cap: connectionCap). Each open connection
  // costs some 10 KB here (up to 26 KB while a full-size head arrives): the
  // whole default cap stays inside the README's memory bound.
  maxConnections: 2_000,
  // Heads of 16 KiB accepted (a badge URL with a logo is long), Node's own
  // default made explicit; the bound counts from the request line on.
  maxHeaderBytes: 16 * 1024,
  // The longest request here waits 2 s for the first poll.
  finishWithinMs: 3_000,
}

/** Connections kept for badge, page and webhook traffic beside the most live-update streams. */
export const CONNECTIONS_BESIDE_STREAMS = 1_000

/**
 * The connection cap for a service that allows `maxStreams` live-update
 * streams: the default, or more when the streams alone would leave less
 * than CONNECTIONS_BESIDE_STREAMS for everything else.
 */
export function connectionCap(maxStreams: number): number {
  return Math.max(SERVER_LIMITS.maxConnections, maxStreams + CONNECTIONS_BESIDE_STREAMS)
}

/** The limits as Fastify and node:http take them. */
export function serverOptions(
  limits: ServerLimits,
): Pick<FastifyServerOptions, 'requestTimeout' | 'keepAliveTimeout' | 'connectionTimeout'> & { http: ServerOptions } {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // No socket idle timeout: see ServerLimits.
    connectionTimeout: 0,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      // Node's default is 30 s: a 10 s headersTimeout would act after up to 40 s.
      connectionsCheckingInterval: limits.checkEveryMs,
    },
  }
}
