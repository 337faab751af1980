import { randomUUID } from 'node:crypto'
import { RESOURCES, type Clock, type Resource } from '../../status/poller.js'
import { WINDOW_SLACK_MS, type BudgetLimits } from '../../upstream/budget.js'
import { NOTICES, type FleetBackend, type Notice, type RecordVersion, type SharedBudget } from '../backend.js'
import { KEEP_MS, type FleetKeys } from '../keys.js'
import type { RedisConnection, Script } from './connection.js'
import * as scripts from './scripts.js'

const isNotice = (message: string): message is Notice => (NOTICES as readonly string[]).includes(message)

/** A whole number Redis gave back, or 0 for anything else (hostile content counts as nothing). */
function count(value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN
  return Number.isSafeInteger(number) && number >= 0 ? number : 0
}

function version(fence: unknown, seq: unknown): RecordVersion {
  return { fence: count(fence), seq: count(seq) }
}

/**
 * The fleet's backend in Redis: every step that must be atomic is a script
 * (./scripts.ts), every key under the account's prefix (../keys.ts), the
 * notices on one pub/sub channel. Whatever comes back is read defensively;
 * the records themselves are validated by ../record.ts.
 */
export function createRedisBackend(connection: RedisConnection, keys: FleetKeys, clock: Clock): FleetBackend {
  const { commands } = connection
  const snapshotKeys = RESOURCES.map((resource) => keys.snapshot[resource])
  const run = (script: Script, keyList: readonly string[], args: readonly (string | number)[]) =>
    commands.script(script, keyList, args.map(String))
  const members = randomUUID()
  let member = 0

  function budget(limits: BudgetLimits): SharedBudget {
    const windows = [keys.calls, keys.hold]
    return {
      async take() {
        const now = clock.now()
        const wait = count(
          await run(scripts.TAKE, windows, [
            now,
            limits.perMinute,
            limits.perHour,
            WINDOW_SLACK_MS,
            `${members}:${++member}`,
          ]),
        )
        return wait > 0 ? { granted: false, waitMs: wait } : { granted: true }
      },
      async hold(until) {
        await run(scripts.HOLD, [keys.hold], [Math.round(until), clock.now()])
      },
      async state() {
        const now = clock.now()
        const reply = await run(scripts.STATE, windows, [now, limits.perMinute, limits.perHour, WINDOW_SLACK_MS])
        const [minute, hour, wait] = Array.isArray(reply) ? reply.map(count) : [0, 0, 0]
        return {
          minute: { limit: limits.perMinute, left: Math.max(0, limits.perMinute - (minute ?? 0)) },
          hour: { limit: limits.perHour, left: Math.max(0, limits.perHour - (hour ?? 0)) },
          nextCallAt: now + (wait ?? 0),
        }
      },
      async record(agesMs) {
        if (agesMs.length === 0) return
        const now = clock.now()
        const pairs = agesMs.flatMap((age) => [now - age, `${members}:${++member}`])
        await run(scripts.RECORD, [keys.calls], [WINDOW_SLACK_MS, ...pairs])
      },
    }
  }

  return {
    shared: true,
    lease: {
      async acquire(token, ttlMs) {
        const fence = await run(scripts.ACQUIRE, [keys.lease, keys.fence, ...snapshotKeys], [token, ttlMs, KEEP_MS])
        return fence === null || fence === undefined ? undefined : count(fence)
      },
      async renew(token, ttlMs) {
        return count(await run(scripts.RENEW, [keys.lease], [token, ttlMs])) === 1
      },
      async release(token) {
        await run(scripts.RELEASE, [keys.lease], [token, keys.channel])
      },
    },
    snapshots: {
      async write(resource, body, { fence, seq }, token) {
        const result = await run(
          scripts.WRITE,
          [keys.snapshot[resource], keys.lease],
          [token, fence, seq, body, KEEP_MS, keys.channel, `snapshot:${resource}`],
        )
        if (result === 'written' || result === 'not-holder' || result === 'outdated') return result
        throw new Error('fleet: unexpected answer from Redis to a snapshot write')
      },
      async versions() {
        const reply = await run(scripts.VERSIONS, snapshotKeys, [])
        const versions: Partial<Record<Resource, RecordVersion>> = {}
        if (!Array.isArray(reply)) return versions
        RESOURCES.forEach((resource, i) => {
          const entry: unknown = reply[i]
          if (Array.isArray(entry)) versions[resource] = version(entry[0], entry[1])
        })
        return versions
      },
      async read(resource, maxBytes) {
        const reply = await run(scripts.READ, [keys.snapshot[resource]], [maxBytes])
        if (!Array.isArray(reply)) return undefined
        const [fence, seq, body] = reply as unknown[]
        if (typeof body !== 'string') return 'too-large'
        return { version: version(fence, seq), body }
      },
    },
    refreshes: {
      async request(resources) {
        await run(scripts.REQUEST, [keys.refresh], [KEEP_MS, keys.channel, ...resources])
      },
      async claim(token) {
        const reply = await run(scripts.CLAIM, [keys.refresh, keys.lease], [token])
        return Array.isArray(reply) ? RESOURCES.filter((resource) => reply.includes(resource)) : []
      },
    },
    budget,
    async listen(listener) {
      await connection.subscribe(keys.channel, (message) => {
        if (isNotice(message)) listener(message)
      })
    },
    ready: (waitMs) => connection.ready(waitMs),
    close: () => connection.close(),
  }
}
