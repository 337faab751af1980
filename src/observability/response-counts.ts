/**
 * Answers counted as plain numbers on the request path, read by /metrics at
 * scrape time: cheaper than a prom-client label lookup per request, and no
 * hook. Keys come from fixed sets (route patterns, status codes, the
 * X-Badge-Error reasons), so the maps stay small whatever the URLs.
 */
export interface ResponseCounts {
  count(route: string, statusCode: number, badgeError?: string): void
  /** Answers by route pattern and status code. */
  responses(): ReadonlyMap<string, ReadonlyMap<number, number>>
  /** Error answers by reason. */
  errors(): ReadonlyMap<string, number>
}

export function createResponseCounts(): ResponseCounts {
  const byRoute = new Map<string, Map<number, number>>()
  const byReason = new Map<string, number>()
  return {
    count(route, statusCode, badgeError) {
      let statuses = byRoute.get(route)
      if (!statuses) byRoute.set(route, (statuses = new Map<number, number>()))
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1)
      if (badgeError !== undefined) byReason.set(badgeError, (byReason.get(badgeError) ?? 0) + 1)
    },
    responses: () => byRoute,
    errors: () => byReason,
  }
}

/** With METRICS_ENABLED=false: nothing counted, nothing kept. */
export const NO_COUNTS: ResponseCounts = {
  count() {
    // Metrics are off.
  },
  responses: () => new Map(),
  errors: () => new Map(),
}
