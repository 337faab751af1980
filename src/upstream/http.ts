import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { nodeHttp } from '../http/node-http.js'

export interface UpstreamResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** The body, decoded from gzip or brotli when so encoded; at most `maxBytes` either way. */
  readonly body: Buffer
}

export interface GetOptions {
  readonly headers: Readonly<Record<string, string>>
  /** For the whole exchange: connecting, the head and the body. */
  readonly timeoutMs: number
  readonly maxBytes: number
  readonly signal?: AbortSignal
}

/** Why a GET gave no usable bytes; the client maps each to its named errors. */
export class GetError extends Error {
  constructor(
    readonly kind: 'timeout' | 'aborted' | 'network' | 'interrupted' | 'too-large' | 'undecodable',
    message: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'GetError'
  }
}

/** The system error code (ECONNREFUSED, ECONNRESET…) behind a failure. */
function networkCause(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : err instanceof Error ? err.message : 'unknown error'
}

function decode(body: Buffer, encoding: string | undefined, maxBytes: number, status: number): Buffer {
  const coding = encoding?.trim().toLowerCase()
  if (!coding || coding === 'identity') return body
  try {
    // maxOutputLength stops a small body that inflates without end (a "zip bomb").
    if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(body, { maxOutputLength: maxBytes })
    if (coding === 'br') return brotliDecompressSync(body, { maxOutputLength: maxBytes })
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new GetError('too-large', `body larger than ${maxBytes} bytes`, status)
    }
    throw new GetError('undecodable', `a ${coding} body that does not decode`, status)
  }
  throw new GetError('undecodable', `an unasked-for content coding: ${coding.slice(0, 20)}`, status)
}

/**
 * One GET with node:http(s), which Fastify has loaded anyway; the global
 * fetch would bring undici's whole client (13 MB more resident memory at
 * rest, as an ES import of node:http would: ../http/node-http.ts). No redirect is followed, no connection is kept: a poll every
 * few minutes gains nothing from keep-alive, and an idle socket would
 * outlive a shutdown.
 */
export async function get(url: URL, options: GetOptions): Promise<UpstreamResponse> {
  const { request } = nodeHttp(url.protocol === 'https:' ? 'https:' : 'http:')
  return new Promise<UpstreamResponse>((resolve, reject) => {
    let settled = false
    const fail = (err: GetError) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      req.destroy()
      reject(err)
    }
    const req = request(url, {
      method: 'GET',
      headers: { ...options.headers, 'accept-encoding': 'gzip, br', connection: 'close' },
      agent: false,
    })
    const timer = setTimeout(() => {
      fail(new GetError('timeout', `no answer within ${options.timeoutMs} ms`))
    }, options.timeoutMs)
    timer.unref()
    function onAbort() {
      fail(new GetError('aborted', 'request aborted'))
    }
    if (options.signal?.aborted) {
      onAbort()
      return
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    req.on('error', (err) => {
      fail(new GetError('network', `request failed: ${networkCause(err)}`))
    })
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0
      const declared = Number(res.headers['content-length'] ?? Number.NaN)
      if (declared > options.maxBytes) {
        fail(new GetError('too-large', `body larger than ${options.maxBytes} bytes`, status))
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > options.maxBytes)
          fail(new GetError('too-large', `body larger than ${options.maxBytes} bytes`, status))
        else chunks.push(chunk)
      })
      res.on('error', (err) => {
        fail(new GetError('interrupted', `body interrupted: ${networkCause(err)}`, status))
      })
      res.on('close', () => {
        if (!res.complete) fail(new GetError('interrupted', 'body interrupted: ECONNRESET', status))
      })
      res.on('end', () => {
        if (settled) return
        try {
          const body = decode(Buffer.concat(chunks), res.headers['content-encoding'], options.maxBytes, status)
          settled = true
          clearTimeout(timer)
          options.signal?.removeEventListener('abort', onAbort)
          resolve({ status, headers: res.headers, body })
        } catch (err) {
          fail(err as GetError)
        }
      })
    })
    req.end()
  })
}
