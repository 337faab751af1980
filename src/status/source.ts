import type { Clock, PollOutcome, Poller, Resource, ResourceData, Snapshot } from './poller.js'
import { snapshotView, type Freshness, type SnapshotView } from './view.js'

/** How long a request may wait for the very first poll; never longer. */
export const FIRST_POLL_WAIT_MS = 2_000

export interface SnapshotSource {
  /**
   * The resource as a badge should show it now. Never calls the upstream;
   * waits only while the first poll is pending, and then at most
   * FIRST_POLL_WAIT_MS.
   */
  view<R extends Resource>(resource: R): Promise<SnapshotView<ResourceData[R]>>
}

export interface SnapshotSourceOptions {
  readonly poller: Poller
  readonly clock: Clock
  readonly freshness: Freshness
  readonly startedAt: number
  readonly firstPollWaitMs?: number
}

interface Memo {
  readonly snapshot: Snapshot | undefined
  readonly outcome: PollOutcome | undefined
  readonly view: SnapshotView<unknown>
}

/**
 * Views of the polled resources for the request path. A view is computed
 * once per change of its inputs (a poll settling, or the snapshot growing
 * too old) and the same object is returned until then, so everything
 * prepared from it can be keyed by its identity.
 */
export function createSnapshotSource(options: SnapshotSourceOptions): SnapshotSource {
  const { poller, clock, freshness, startedAt } = options
  const waitMs = options.firstPollWaitMs ?? FIRST_POLL_WAIT_MS
  const memos: Partial<Record<Resource, Memo>> = {}

  function viewNow<R extends Resource>(resource: R): SnapshotView<ResourceData[R]> {
    const snapshot = poller.snapshot(resource)
    const outcome = poller.state(resource).lastOutcome
    const now = clock.now()
    const memo = memos[resource]
    if (memo !== undefined && memo.snapshot === snapshot && memo.outcome === outcome && now <= memo.view.validUntil) {
      return memo.view as SnapshotView<ResourceData[R]>
    }
    const view = snapshotView(snapshot, outcome, now, freshness, startedAt)
    memos[resource] = { snapshot, outcome, view }
    return view
  }

  async function waitForFirstPoll(resource: Resource): Promise<void> {
    if (poller.state(resource).firstAttemptSettled) return
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs)
      timer.unref()
    })
    await Promise.race([poller.firstAttempt(resource), deadline])
    clearTimeout(timer)
  }

  return {
    async view(resource) {
      await waitForFirstPoll(resource)
      return viewNow(resource)
    },
  }
}
