import { createClient } from '@redis/client'
import type { FastifyBaseLogger } from 'fastify'
import type { Secret } from '../../config/secret.js'

/** The two connections a replica keeps: one for commands, one subscribed to the fleet's notices. */
export interface RedisConnection {
  /** Commands; each fails fast while disconnected (no offline queue) or after the command timeout. */
  readonly commands: RedisCommands
  /** Subscribes to a channel (kept across reconnections by the client). */
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
const reconnectDelay = (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2_000)

/**
 * Connects to REDIS_URL with node-redis's core (@redis/client), without
 * waiting for Redis: it may be down at start, and the fleet runs without it.
 * The URL holds the password, so this module alone reveals it, and every
 * error that leaves it has the URL's credentials taken out of its message.
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
  const clientOptions = {
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs },
    socket: { connectTimeout: Math.max(options.commandTimeoutMs, 1_000), reconnectStrategy: reconnectDelay },
  }
  const client = createClient(clientOptions)
  const subscriber = createClient({ ...clientOptions, disableOfflineQueue: false })
  // Errors come once per failed reconnection attempt: the fleet tells of an outage once, so these are debug lines.
  const onError = (which: string) => (err: unknown) => {
    options.log.debug({ connection: which, error: scrub(err).message }, 'fleet: Redis connection error')
  }
  client.on('error', onError('commands'))
  subscriber.on('error', onError('notices'))
  // connect() rejects only on the first attempt's failure when reconnection is off; with it, it resolves on success.
  void client.connect().catch(onError('commands'))
  void subscriber.connect().catch(onError('notices'))

  let closed = false

  async function script(body: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const call = { keys: [...keys], arguments: [...args] }
    try {
      try {
        return await client.evalSha(body.sha1, call)
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
        return await client.eval(body.source, call)
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
    async subscribe(channel, listener) {
      // Until it succeeds (Redis may be down, or refuse the password): the client keeps it across reconnections after.
      const attempt = () => {
        if (closed) return
        subscriber
          .subscribe(channel, (message: string) => {
            listener(message)
          })
          .catch((err: unknown) => {
            onError('notices')(err)
            setTimeout(attempt, SUBSCRIBE_RETRY_MS).unref()
          })
      }
      attempt()
    },
    async ready(waitMs) {
      if (client.isReady) return true
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
      for (const each of [client, subscriber]) {
        try {
          // Closing a connection that never came up must not wait for it.
          each.destroy()
        } catch {
          // Already closed.
        }
      }
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
