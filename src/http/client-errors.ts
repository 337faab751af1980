import type { Socket } from 'node:net'
import { NO_STORE } from '../badge/cache-policy.js'

/** The answer, in this service's JSON error shape, to a request Node could not parse or that came too late. */
function answerFor(code: string | undefined): { status: string; error: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: '408 Request Timeout', error: 'request timeout' }
  if (code === 'HPE_HEADER_OVERFLOW') return { status: '431 Request Header Fields Too Large', error: 'head too large' }
  return { status: '400 Bad Request', error: 'bad request' }
}

/**
 * Fastify's clientErrorHandler: what Node rejects before any route sees it
 * (a malformed request line or header, a head over 16 KiB, a head or body
 * too late) still gets a JSON error with Cache-Control, like every other
 * answer, and the connection closes. Fastify's default says the same in
 * its own words and with no Cache-Control.
 */
export function clientError(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nothing left to answer (Node's clientError notes).
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const { status, error } = answerFor(err.code)
  const body = JSON.stringify({ error })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: ${NO_STORE}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}
