import type { Clock, Poller, Resource, ResourceData } from './poller.js'
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
  /** The same, without waiting. */
  viewNow<R extends Resource>(resource: R): SnapshotView<ResourceData[R]>
}

export interface SnapshotSourceOptions {
  readonly poller: Poller
  readonly clock: Clock
  readonly freshness: Freshness
  readonly startedAt: number
  readonly firstPollWaitMs?: number
}

export function createSnapshotSource(options: SnapshotSourceOptions): SnapshotSource {
  const { poller, clock, freshness, startedAt } = options
  const waitMs = options.firstPollWaitMs ?? FIRST_POLL_WAIT_MS

  function viewNow<R extends Resource>(resource: R): SnapshotView<ResourceData[R]> {
    const { lastOutcome } = poller.state(resource)
    return snapshotView(poller.snapshot(resource), lastOutcome, clock.now(), freshness, startedAt)
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
    viewNow,
    async view(resource) {
      await waitForFirstPoll(resource)
      return viewNow(resource)
    },
  }
}
