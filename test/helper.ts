import { Writable } from 'node:stream'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { buildApp, type App, type AppDeps } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'
import { createLogger } from '../src/observability/logger.js'
import { startSimulator, type Simulator } from '../src/dev/simulator.js'
import type { ScenarioName } from '../src/dev/scenarios.js'

/**
 * Distinctive, so any leak into a log line or a response is found by a plain
 * search; and made of what HTML (<"&'>), JSON (" \\ /) and URLs ({^}%|) all
 * escape, in mixed case, so that a leak in an escaped, encoded or
 * case-folded spelling is found too (test/key.ts lists them).
 */
export const TEST_API_KEY = `sk_TEST<"&'>\\/{^}%|~LeakCanary_9f8e`

/**
 * Every log line and response of this test file; test/setup.ts searches
 * them for the key (capturedTexts). Bodies sent as Buffers are held as they
 * are, once each, and decoded only when searched: a large body (a
 * /components.json of thousands of monitors) is one Buffer sent again and
 * again, and decoding it on every send would cost the event loop more than
 * the send (400 pipelined answers held it up for most of a second, past the
 * head timeouts of test/http/connections.test.ts).
 */
export const captured = { logs: [] as string[], responses: [] as string[], bodies: new Set<Buffer>() }

/** Everything captured so far, as text. */
export function capturedTexts(): string[] {
  return [...captured.logs, ...captured.responses, ...Array.from(captured.bodies, (body) => body.toString())]
}

export async function startTestUpstream(scenario: ScenarioName = 'operational'): Promise<Simulator> {
  return startSimulator({ apiKey: TEST_API_KEY, scenario })
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    MONITOR_API_KEY: TEST_API_KEY,
    MONITOR_API_URL: 'http://127.0.0.1:9/unused',
    LOG_LEVEL: 'debug',
    ...env,
  })
}

export function captureLogs(level: Config['logLevel'] = 'debug'): {
  logger: ReturnType<typeof createLogger>
  lines: string[]
} {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString()
      lines.push(line)
      captured.logs.push(line)
      done()
    },
  })
  return { logger: createLogger(level, sink), lines }
}

export interface TestApp {
  readonly app: App
  readonly logs: string[]
  /** Parsed log records. */
  records(): Array<Record<string, unknown>>
}

/**
 * The app against a simulated upstream (or a fake client in deps), with its
 * logs captured and every response recorded for the leak check.
 */
export async function buildTestApp(
  options: { upstream?: Simulator; env?: Record<string, string>; deps?: AppDeps } = {},
): Promise<TestApp> {
  const { logger, lines } = captureLogs()
  const config = testConfig({
    ...(options.upstream && { MONITOR_API_URL: options.upstream.url }),
    ...options.env,
  })
  const app = await buildApp(config, { logger, ...options.deps })
  // At node:http itself, not in an onSend hook: the badges are written to it directly, past Fastify's hooks.
  app.addHook('onRequest', function recordResponse(_request, reply, done) {
    const res = reply.raw
    const keep = (chunk: unknown) => {
      if (typeof chunk === 'string') captured.responses.push(chunk)
      else if (Buffer.isBuffer(chunk)) captured.bodies.add(chunk)
    }
    const writeHead = res.writeHead.bind(res)
    const write = res.write.bind(res) as (...args: unknown[]) => boolean
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res
    res.writeHead = ((...args: Parameters<typeof writeHead>) => {
      captured.responses.push(JSON.stringify([args, res.getHeaders()]))
      return writeHead(...args)
    }) as typeof res.writeHead
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk)
      return write(chunk, ...rest)
    }) as typeof res.write
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') keep(chunk)
      return end(chunk, ...rest)
    }) as typeof res.end
    done()
  })
  return {
    app,
    logs: lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  }
}

/** Resolves once every first poll has settled (the app must be ready). */
export async function firstPolls(app: App): Promise<void> {
  await Promise.all([app.poller.firstAttempt('status'), app.poller.firstAttempt('monitors')])
}

/** A loopback URL where nothing listens (a port just freed). */
export async function refusedUrl(): Promise<string> {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve()
    })
  })
  return `http://127.0.0.1:${port}/api.php`
}

/**
 * A simulated upstream for a test file, and apps built against it: the
 * upstream is reset and the app closed after each test.
 */
export function useUpstream(defaultEnv: Record<string, string> = {}) {
  let upstream: Simulator | undefined
  let app: App | undefined
  beforeAll(async () => {
    upstream = await startTestUpstream()
  })
  afterEach(async () => {
    await app?.close()
    app = undefined
    upstream?.reset()
  })
  afterAll(async () => {
    await upstream?.close()
  })
  const current = (): Simulator => {
    if (!upstream) throw new Error('the upstream starts in beforeAll')
    return upstream
  }
  /** Built and ready; its first poll may still be under way. */
  async function build(env: Record<string, string> = {}): Promise<App> {
    app = (await buildTestApp({ upstream: current(), env: { ...defaultEnv, ...env } })).app
    await app.ready()
    return app
  }
  return {
    get upstream(): Simulator {
      return current()
    },
    build,
    /** Built, ready, and past its first polls. */
    ready: async (env: Record<string, string> = {}): Promise<App> => {
      const built = await build(env)
      await firstPolls(built)
      return built
    },
  }
}
