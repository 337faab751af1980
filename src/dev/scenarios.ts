/**
 * Upstream states for the simulator, one per badge state, written the way
 * the vendor's PHP might send them (see ../shared/upstream-api.md): the
 * partial outage spelled "Partial Outage", maintenance in Statuspage's words,
 * the major outage reported as merely "degraded" with every monitor down.
 */
export interface SimMonitor {
  id: number | string
  name: string
  type: string
  target: string
  status: string
  is_active: number | string | boolean
  created_at?: string
  updated_at?: string
}

export interface SimCounts {
  total: number | string
  up: number | string
  down: number | string
  pending: number | string
  paused: number | string
}

export interface SimState {
  /** Omitted from the payload when undefined. */
  overall_status?: string
  counts?: SimCounts
  uptime_percentage?: number | string
  monitors: SimMonitor[]
  /** `active_incidents` as sent (its shape is not documented); [] when undefined. */
  incidents?: unknown[]
}

const NAMES = ['Web Server', 'API', 'Database', 'Mail', 'DNS']

/** Five monitors, the first `down` of them down, the rest as `rest`. */
export function fleet(down: number, rest = 'up'): SimMonitor[] {
  return NAMES.map((name, i) => ({
    id: i + 1,
    name,
    type: 'https',
    // Internal addresses: they must never leave the proxy.
    target: `https://10.0.0.${i + 1}/health`,
    status: i < down ? 'down' : rest,
    is_active: 1,
    created_at: '2026-01-01 00:00:00',
    updated_at: '2026-02-07 12:00:00',
  }))
}

export function countsOf(monitors: readonly SimMonitor[]): SimCounts {
  const count = (status: string) => monitors.filter((m) => m.status === status).length
  return {
    total: monitors.length,
    up: count('up'),
    down: count('down'),
    pending: count('pending'),
    paused: count('paused'),
  }
}

function state(overall: string | undefined, monitors: SimMonitor[]): SimState {
  const counts = countsOf(monitors)
  return {
    ...(overall !== undefined && { overall_status: overall }),
    counts,
    uptime_percentage: Number(((Number(counts.up) / Number(counts.total)) * 100).toFixed(2)),
    monitors,
  }
}

export const SCENARIOS = {
  operational: () => state('operational', fleet(0)),
  degraded: () => state('degraded', fleet(1)),
  partial_outage: () => state('Partial Outage', fleet(2)),
  major_outage: () => state('degraded', fleet(5)),
  maintenance: () => state('under_maintenance', fleet(0, 'paused')),
  unknown: (): SimState => ({ overall_status: 'reticulating splines', monitors: [] }),
} satisfies Record<string, () => SimState>

export type ScenarioName = keyof typeof SCENARIOS
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[]
