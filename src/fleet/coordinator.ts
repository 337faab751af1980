import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { RESOURCES, type Clock, type Poller, type Resource } from '../status/poller.js'
import type { FleetBackend, RecordVersion } from './backend.js'
import type { FleetBudget } from './fleet-budget.js'
import { decodeRecord, encodeRecord, MAX_RECORD_BYTES, type SharedRecord } from './record.js'

/** A replica's part: it polls alone (no Redis, or none reachable), polls for the fleet, or reads what the leader polled. */
export type FleetRole = 'solo' | 'leader' | 'follower'

export type RecordResult = 'written' | 'adopted' | 'refused'

export interface FleetStatus {
  readonly role: FleetRole
  readonly reachable: boolean
  /** When Redis last turned reachable or unreachable (the start, before either). */
  readonly since: number
  /** The fencing number of the lease this replica holds; undefined unless leading. */
  readonly fence: number | undefined
  /** When this replica last wrote (leading) or took (following) a shared snapshot. */
  readonly sharedAt: number | undefined
}

export interface FleetObserver {
  role?(role: FleetRole): void
  outage?(): void
  record?(resource: Resource, result: RecordResult): void
}

export interface FleetOptions {
  readonly backend: FleetBackend
  readonly poller: Poller
  readonly budget: FleetBudget
  /** FLEET_LEASE_SECONDS, in ms. */
  readonly leaseMs: number
  /** FLEET_SIZE_HINT, for the outage's log line. */
  readonly sizeHint: number
  readonly clock: Clock
  readonly log: FastifyBaseLogger
  /** A shared snapshot was taken into the poller: the snapshot store rebuilds. */
  readonly adopted: () => void
  /** A refresh another replica's webhook asked for, for this one (leading) to run through its coalescer. */
  readonly relay?: (resource: Resource) => void
  readonly observe?: FleetObserver
  readonly random?: () => number
}

export interface Fleet {
  /** Takes part: leads or follows (or polls alone while Redis is unreachable). */
  start(): void
  /** A poll settled here: the leader shares it. */
  settled(resource: Resource): void
  /**
   * A webhook reached this replica: true when it was passed to the leader
   * (another replica polls), false when this one refreshes by itself.
   */
  forward(resources: readonly Resource[]): boolean
  status(): FleetStatus
  /** A call to Redis made elsewhere (the budget's) failed: Redis is unreachable as far as this replica can tell. */
  failed(err: unknown): void
  /** Stops taking part and gives the lease up, so that another replica takes over at once. */
  stop(): Promise<void>
  close(): Promise<void>
}

type Job = 'write' | 'tick' | 'sync' | 'claim'
/** Jobs run one at a time, in this order of precedence; each kind waits at most once (a notice storm is a flag). */
const JOBS: readonly Job[] = ['write', 'tick', 'sync', 'claim']
/** How long the first tick waits for the connection before it counts Redis as unreachable. */
const FIRST_CONNECT_MS = 2_000

const sameVersion = (a: RecordVersion | undefined, b: RecordVersion | undefined) =>
  a !== undefined && b !== undefined && a.fence === b.fence && a.seq === b.seq

/**
 * One poller per fleet. Every replica ticks every third of the lease: the
 * leader renews its lease (and shares what is left to share, and claims the
 * refreshes others asked for); the others try to take the lease, and catch
 * up with the shared snapshots (notices make that immediate; the tick makes
 * up for lost ones). Only the leader polls; the others take its snapshots
 * into their own poller and serve them as if polled there, so every replica
 * serves the same bytes. Any failed call to Redis turns the replica solo:
 * it polls by itself within its share of the budget until Redis answers
 * again, when the fleet elects one leader anew.
 *
 * Losing the lease costs duplicated work only (a deposed leader's poll, a
 * webhook refresh twice), never a wrong badge: writes carry the lease's
 * token and fencing number, and Redis refuses a deposed leader's. So one
 * Redis is enough; there is no Redlock.
 */
export function createFleet(options: FleetOptions): Fleet {
  const { backend, poller, budget, leaseMs, clock, log } = options
  const random = options.random ?? Math.random
  const token = randomUUID()
  let role: FleetRole = 'follower'
  /** Whether the role was taken yet (logged and counted): a replica starts following, but says so only once it knows. */
  let announced = false
  let reachable = false
  /** Between a failed call and the next that succeeds: one warning, one metric, per outage. */
  let outage = false
  let since = clock.now()
  let fence: number | undefined
  let seq = 0
  let sharedAt: number | undefined
  let started = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let busy = false
  const wanted = new Set<Job>()
  /** Resources polled here and not yet shared (leading). */
  const dirty = new Set<Resource>()
  /** The version of each shared snapshot last taken (following), or refused. */
  const taken = new Map<Resource, RecordVersion>()
  const refused = new Set<string>()
  let warnedNoRelay = false
  let stopping: Promise<void> | undefined

  async function release() {
    stopped = true
    clearTimeout(timer)
    if (role !== 'leader') return
    await backend.lease.release(token).catch((err: unknown) => {
      log.warn({ error: err instanceof Error ? err.message : String(err) }, 'fleet: could not release the lease')
    })
  }

  const following = () => role === 'follower'

  function setRole(next: FleetRole) {
    if (role === next && announced) return
    role = next
    announced = true
    options.observe?.role?.(next)
  }

  function want(job: Job) {
    if (stopped) return
    wanted.add(job)
    void drain()
  }

  async function drain() {
    if (busy) return
    busy = true
    try {
      for (let job = next(); job && !stopped; job = next()) {
        try {
          await run(job)
        } catch (err) {
          unreachable(err)
        }
        if (job === 'tick') arm()
      }
    } finally {
      busy = false
    }
  }

  function next(): Job | undefined {
    const job = JOBS.find((kind) => wanted.has(kind))
    if (job) wanted.delete(job)
    return job
  }

  async function run(job: Job) {
    if (job === 'tick') await (role === 'leader' ? lead() : contend())
    else if (job === 'write' && role === 'leader') await share()
    else if (job === 'sync' && role === 'follower') await sync()
    else if (job === 'claim' && role === 'leader') await claim()
  }

  function arm() {
    if (stopped) return
    clearTimeout(timer)
    // A third of the lease, give or take a tenth, so that replicas do not tick in step.
    timer = setTimeout(
      () => {
        want('tick')
      },
      (leaseMs / 3) * (0.9 + 0.2 * random()),
    )
    timer.unref()
  }

  async function lead() {
    if (!(await backend.lease.renew(token, leaseMs))) {
      lose('the lease expired before it was renewed')
      return
    }
    await answered()
    await share()
    await claim()
  }

  async function contend() {
    const acquired = await backend.lease.acquire(token, leaseMs)
    await answered()
    if (acquired !== undefined) return takeLead(acquired)
    if (role !== 'follower' || !announced) follow()
    await sync()
  }

  async function takeLead(acquired: number) {
    fence = acquired
    setRole('leader')
    log.info({ fencing: acquired }, 'fleet: leading: this replica polls the upstream for the fleet')
    // A snapshot shared since ours (the last leader polled after us) is taken first; ours, if newer, is shared.
    for (const resource of RESOURCES) await reconcile(resource)
    await share()
    poller.start()
  }

  function follow() {
    fence = undefined
    setRole('follower')
    poller.pause()
    taken.clear()
    log.info('fleet: following: another replica polls the upstream')
  }

  function lose(why: string) {
    log.warn({ reason: why }, 'fleet: lost the lease: another replica polls now')
    follow()
    want('sync')
  }

  /** Redis answered: the end of an outage, if there was one. */
  async function answered() {
    if (reachable) return
    reachable = true
    const was = outage
    outage = false
    const now = clock.now()
    if (was)
      log.info({ outageSeconds: Math.round((now - since) / 1000) }, 'fleet: Redis reachable again: electing one poller')
    since = now
    await budget.flush()
  }

  function unreachable(err: unknown) {
    const wasReachable = reachable
    reachable = false
    if (!outage) {
      outage = true
      since = clock.now()
      options.observe?.outage?.()
      log.warn(
        { error: err instanceof Error ? err.message : String(err), shareOfBudget: `1/${options.sizeHint}` },
        `fleet: Redis unreachable: polling alone, within 1/${options.sizeHint} of the upstream budget`,
      )
    } else if (wasReachable) {
      since = clock.now()
    }
    fence = undefined
    setRole('solo')
    if (started && !stopped) poller.start()
  }

  /** What this replica polled of a resource, as a record (undefined before a poll settled here). */
  function local<R extends Resource>(resource: R): SharedRecord<R> | undefined {
    const state = poller.state(resource)
    if (!state.lastOutcome) return undefined
    return {
      resource,
      snapshot: poller.snapshot(resource),
      lastOutcome: state.lastOutcome,
      consecutiveFailures: state.consecutiveFailures,
      nextPollAt: state.nextPollAt,
    }
  }

  async function reconcile(resource: Resource) {
    const versions = await backend.snapshots.versions()
    const stored = versions[resource]
    const mine = local(resource)
    if (stored && !sameVersion(stored, taken.get(resource))) {
      const theirs = await readShared(resource, stored)
      if (theirs && (!mine || theirs.lastOutcome.at > mine.lastOutcome.at)) {
        take(resource, theirs, stored)
        return
      }
    }
    if (mine) dirty.add(resource)
  }

  async function share() {
    for (const resource of RESOURCES) {
      if (!dirty.has(resource) || role !== 'leader' || fence === undefined) continue
      const record = local(resource)
      dirty.delete(resource)
      if (!record) continue
      const body = encodeRecord(record)
      if (Buffer.byteLength(body) > MAX_RECORD_BYTES) {
        log.error({ resource, bytes: Buffer.byteLength(body) }, 'fleet: snapshot too large to share')
        continue
      }
      let result
      try {
        result = await backend.snapshots.write(resource, body, { fence, seq: ++seq }, token)
      } catch (err) {
        dirty.add(resource)
        throw err
      }
      if (result === 'written') {
        sharedAt = clock.now()
        options.observe?.record?.(resource, 'written')
      } else {
        lose(result === 'not-holder' ? 'another replica holds the lease' : 'a newer leader has written')
        return
      }
    }
  }

  async function sync() {
    const versions = await backend.snapshots.versions()
    for (const resource of RESOURCES) {
      const stored = versions[resource]
      if (!stored || sameVersion(stored, taken.get(resource)) || !following()) continue
      const record = await readShared(resource, stored)
      // The role may have changed while Redis answered.
      if (record && following()) take(resource, record, stored)
    }
  }

  /** The shared record of a resource, validated; undefined (told once per version) when it cannot be used. */
  async function readShared<R extends Resource>(
    resource: R,
    version: RecordVersion,
  ): Promise<SharedRecord<R> | undefined> {
    const stored = await backend.snapshots.read(resource, MAX_RECORD_BYTES)
    if (stored === undefined) return undefined
    const decoded =
      stored === 'too-large' ? { problem: 'larger than the record bound' } : decodeRecord(resource, stored.body)
    if ('record' in decoded) return decoded.record
    // Not read again until another is written.
    taken.set(resource, stored === 'too-large' ? version : stored.version)
    const key = `${resource}:${version.fence}:${version.seq}`
    if (!refused.has(key)) {
      if (refused.size > 64) refused.clear()
      refused.add(key)
      options.observe?.record?.(resource, 'refused')
      log.warn({ resource, problem: decoded.problem }, 'fleet: shared snapshot refused: keeping the one served')
    }
    return undefined
  }

  function take(resource: Resource, record: SharedRecord, version: RecordVersion) {
    poller.adopt(resource, record)
    taken.set(resource, version)
    sharedAt = clock.now()
    options.observe?.record?.(resource, 'adopted')
    options.adopted()
  }

  async function claim() {
    for (const resource of await backend.refreshes.claim(token)) {
      if (options.relay) options.relay(resource)
      else if (!warnedNoRelay) {
        warnedNoRelay = true
        log.warn('fleet: another replica received a webhook, but WEBHOOK_TOKEN is unset here: set it on every replica')
      }
    }
  }

  return {
    start() {
      if (started || stopped) return
      started = true
      void backend.listen(function notice(message) {
        if (message === 'refresh') want('claim')
        else if (message === 'released') {
          if (role !== 'leader') want('tick')
        } else want('sync')
      })
      void backend.ready(Math.min(FIRST_CONNECT_MS, leaseMs)).then(() => {
        want('tick')
      })
    },
    settled(resource) {
      if (role === 'leader') {
        dirty.add(resource)
        want('write')
      } else if (role === 'follower') {
        // A poll of ours (a deposed leader's last, say) replaced the shared one: take that again.
        taken.delete(resource)
        want('sync')
      }
    },
    forward(resources) {
      if (role !== 'follower' || stopped) return false
      backend.refreshes.request(resources).catch((err: unknown) => {
        unreachable(err)
        // Redis lost it: this replica polls now, so it refreshes by itself.
        for (const resource of resources) options.relay?.(resource)
      })
      return true
    },
    status: () => ({ role, reachable, since, fence, sharedAt }),
    failed(err) {
      if (reachable) unreachable(err)
    },
    stop() {
      stopping ??= release()
      return stopping
    },
    close: () => backend.close(),
  }
}
