import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SCENARIOS, type ScenarioName, type SimState } from './scenarios.js'

/** The vendor's path, so the proxy's "resources after api.php" is exercised. */
export const SIM_BASE_PATH = '/modules/addons/faciotech_monitor/api.php'

/** One scripted answer. Anything the real upstream might do, good or bad. */
export interface SimReply {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  /** A string or a Buffer is sent as is (HTML, malformed JSON, gzip); anything else as JSON. */
  readonly body?: unknown
  /** Wait before answering (timeouts). */
  readonly delayMs?: number
  /** Destroy the connection instead of answering (resets). */
  readonly reset?: boolean
}

type Replier = SimReply | ((request: IncomingMessage) => SimReply)

export interface SimRequest {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  /** Clock time (Date.now()) when it arrived: tests count calls per window. */
  readonly at: number
}

export interface Simulator {
  /** Base URL, like MONITOR_API_URL. */
  readonly url: string
  /** The upstream's state; replace it or mutate it. */
  state: SimState
  setScenario(name: ScenarioName): void
  /** Answers served, in order, to the next requests for `path`. */
  enqueue(path: string, ...replies: Replier[]): void
  /** An answer for every request to `path` until cleared with undefined. */
  override(path: string, reply: Replier | undefined): void
  /** Back to the starting scenario, with no scripted answers (request counts stay). */
  reset(): void
  /** Requests received (authorised or not), for `path` or all. */
  calls(path?: string): number
  /** The most recent requests, newest last (at most 200). */
  readonly requests: readonly SimRequest[]
  close(): Promise<void>
}

export interface SimulatorOptions {
  readonly apiKey: string
  readonly host?: string
  readonly port?: number
  readonly scenario?: ScenarioName
}

const MAX_RECORDED = 200

export function statusEnvelope(state: SimState, timestamp = new Date().toISOString()) {
  return {
    success: true,
    data: {
      status: {
        ...state.counts,
        ...(state.overall_status !== undefined && { overall_status: state.overall_status }),
        ...(state.uptime_percentage !== undefined && { uptime_percentage: state.uptime_percentage }),
      },
      active_incidents: state.incidents ?? [],
      timestamp,
    },
  }
}

export function monitorsEnvelope(state: SimState, filter?: { status?: string | null; type?: string | null }) {
  const monitors = state.monitors.filter(
    (m) => (!filter?.status || m.status === filter.status) && (!filter?.type || m.type === filter.type),
  )
  return { success: true, data: { monitors, count: monitors.length } }
}

const error = (status: number, message: string): SimReply => ({ status, body: { success: false, error: message } })

/**
 * A simulated Server Monitor API v1: a real HTTP server on loopback that
 * checks the key like the vendor's (X-API-Key or Bearer), answers GET
 * /status, /monitors and /monitors/{id} from `state`, and can be scripted to
 * misbehave. `npm run demo` and the tests both use it.
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const queues = new Map<string, Replier[]>()
  const overrides = new Map<string, Replier>()
  const counts = new Map<string, number>()
  const requests: SimRequest[] = []
  let state = SCENARIOS[options.scenario ?? 'operational']()

  function authorised(headers: IncomingHttpHeaders): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]
    return headers['x-api-key'] === options.apiKey || bearer === options.apiKey
  }

  function answerFromState(path: string, url: URL): SimReply {
    if (path === '/status') return { body: statusEnvelope(state) }
    if (path === '/monitors') {
      return {
        body: monitorsEnvelope(state, { status: url.searchParams.get('status'), type: url.searchParams.get('type') }),
      }
    }
    const one = /^\/monitors\/([^/]+)$/.exec(path)
    if (one) {
      const monitor = state.monitors.find((m) => String(m.id) === one[1])
      return monitor ? { body: { success: true, data: { monitor } } } : error(404, 'Monitor not found')
    }
    return error(404, 'Endpoint not found')
  }

  function scripted(path: string, request: IncomingMessage): SimReply | undefined {
    const queued = queues.get(path)?.shift()
    const replier = queued ?? overrides.get(path)
    return typeof replier === 'function' ? replier(request) : replier
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://simulator.invalid')
    const path = url.pathname.startsWith(SIM_BASE_PATH) ? url.pathname.slice(SIM_BASE_PATH.length) || '/' : url.pathname
    counts.set(path, (counts.get(path) ?? 0) + 1)
    requests.push({ path, headers: request.headers, at: Date.now() })
    if (requests.length > MAX_RECORDED) requests.shift()

    let reply: SimReply
    if (!url.pathname.startsWith(SIM_BASE_PATH))
      reply = { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' }
    else if (request.method !== 'GET') reply = error(405, 'Method not allowed')
    else if (!authorised(request.headers)) reply = error(401, 'Invalid or missing API key')
    else reply = scripted(path, request) ?? answerFromState(path, url)

    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs))
    if (reply.reset) {
      request.socket.destroy()
      return
    }
    const body =
      typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body ?? null)
    response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
    response.end(body)
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy())
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const { address, port } = server.address() as AddressInfo

  return {
    url: `http://${address}:${port}${SIM_BASE_PATH}`,
    get state() {
      return state
    },
    set state(next) {
      state = next
    },
    setScenario(name) {
      state = SCENARIOS[name]()
    },
    reset() {
      state = SCENARIOS[options.scenario ?? 'operational']()
      queues.clear()
      overrides.clear()
    },
    enqueue(path, ...replies) {
      queues.set(path, [...(queues.get(path) ?? []), ...replies])
    },
    override(path, reply) {
      if (reply === undefined) overrides.delete(path)
      else overrides.set(path, reply)
    },
    calls(path) {
      if (path !== undefined) return counts.get(path) ?? 0
      let total = 0
      for (const n of counts.values()) total += n
      return total
    },
    requests,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) =>
        server.close((err) => {
          if (err) reject(err)
          else resolve()
        }),
      )
    },
  }
}
