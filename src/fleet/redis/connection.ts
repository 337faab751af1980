import { Redis } from 'ioredis'
import type { FastifyBaseLogger } from 'fastify'
import type { Secret } from '../../config/secret.js'

/** The two connections a replica keeps: one for commands, one subscribed to the fleet's notices. */
export interface RedisConnection {
  /** Commands; each fails fast while disconnected (no offline queue) or after the command timeout. */
  readonly commands: RedisCommands
  /** Subscribes to a channel (kept across reconnections by the client); resolves once Redis has confirmed it. */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>
  /** Resolves true once the command connection is up, false if not within `waitMs`. */
  ready(waitMs: number): Promise<boolean>
  close(): Promise<void>
}

export interface RedisCommands {
  /** Runs a Lua script (EVALSHA, falling back on EVAL when Redis does not know it yet). */
  script(script: Script, keys: readonly string[], args: readonly string[]): Promise<unknown>
  publish(channel: string, message: string): Promise<void>
}

export interface Script {
  readonly source: string
  readonly sha1: string
}

export interface ConnectOptions {
  readonly url: Secret
  readonly commandTimeoutMs: number
  readonly log: FastifyBaseLogger
}

/** How long a subscription that failed waits before it is tried again. */
const SUBSCRIBE_RETRY_MS = 1_000

/** Waits between reconnection attempts: quick at first, then every two seconds at most. */
const reconnectDelay = (attempts: number) => Math.min(100 * 2 ** Math.min(attempts, 5), 2_000)

/**
 * Connects to REDIS_URL with ioredis, without waiting for Redis: it may be
 * down at start, and the fleet runs without it. The URL holds the password,
 * so this module alone reveals it, and every error that leaves it has the
 * password taken out of its message.
 */
export async function connectRedis(options: ConnectOptions): Promise<RedisConnection> {
  const url = options.url.reveal()
  const credentials = secretsOf(url)
  const scrub = (err: unknown): Error => {
    let message = err instanceof Error ? err.message : String(err)
    for (const secret of credentials) message = message.split(secret).join('[redacted]')
    const scrubbed = new Error(message)
    scrubbed.name = err instanceof Error ? err.name : 'Error'
    return scrubbed
  }
  const common = {
    connectTimeout: Math.max(options.commandTimeoutMs, 1_000),
    retryStrategy: reconnectDelay,
    // Never a line on the console of its own: errors are the listeners' below.
    showFriendlyErrorStack: false,
  }
  // Commands fail at once while disconnected, and after the timeout when Redis is slow: the fleet falls back then.
  const client = new Redis(url, {
    ...common,
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs,
    maxRetriesPerRequest: 0,
  })
  // The subscription waits for Redis, and is renewed by the client at each reconnection.
  const subscriber = new Redis(url, { ...common, autoResubscribe: true, maxRetriesPerRequest: null })
  // Errors come once per failed reconnection attempt: the fleet tells of an outage once, so these are debug lines.
  const onError = (which: string) => (err: unknown) => {
    options.log.debug({ connection: which, error: scrub(err).message }, 'fleet: Redis connection error')
  }
  client.on('error', onError('commands'))
  subscriber.on('error', onError('notices'))
  const listeners = new Map<string, (message: string) => void>()
  subscriber.on('message', (channel: string, message: string) => {
    listeners.get(channel)?.(message)
  })
  let closed = false

  async function script(body: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    try {
      try {
        return await client.evalsha(body.sha1, keys.length, ...keys, ...args)
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
        return await client.eval(body.source, keys.length, ...keys, ...args)
      }
    } catch (err) {
      throw scrub(err)
    }
  }

  return {
    commands: {
      script,
      async publish(channel, message) {
        try {
          await client.publish(channel, message)
        } catch (err) {
          throw scrub(err)
        }
      },
    },
    subscribe(channel, listener) {
      listeners.set(channel, listener)
      // Until it succeeds (Redis may be down, or refuse the password); the client renews it after. Settles
      // once Redis has confirmed it, so that a caller who waits hears every notice published after.
      return new Promise<void>((resolve) => {
        const attempt = () => {
          if (closed) {
            resolve()
            return
          }
          subscriber.subscribe(channel).then(
            () => {
              resolve()
            },
            (err: unknown) => {
              onError('notices')(err)
              setTimeout(attempt, SUBSCRIBE_RETRY_MS).unref()
            },
          )
        }
        attempt()
      })
    },
    async ready(waitMs) {
      if (client.status === 'ready') return true
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          client.off('ready', onReady)
          resolve(false)
        }, waitMs)
        timer.unref()
        function onReady() {
          clearTimeout(timer)
          resolve(true)
        }
        client.once('ready', onReady)
      })
    },
    async close() {
      closed = true
      // At once, without waiting for a Redis that may be gone.
      client.disconnect()
      subscriber.disconnect()
    },
  }
}

/** The password of a Redis URL, raw and percent-decoded, for scrubbing (the user name is no secret). */
function secretsOf(url: string): string[] {
  const { password } = new URL(url)
  return password ? [...new Set([password, safeDecode(password)])] : []
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}
