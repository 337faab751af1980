// One server for bench/throughput.mjs, chosen by argv[2]; prints its URL.
import Fastify from 'fastify'
import { makeBadge } from 'badge-maker'
import { buildApp } from '../dist/app.js'
import { loadConfig } from '../dist/config.js'
import { startSimulator } from '../dist/dev/simulator.js'

const variant = process.argv[2]
let app
if (variant === 'proxy' || variant === 'proxy-debug' || variant === 'proxy-no-metrics') {
  const simulator = await startSimulator({ apiKey: 'bench-key' })
  const config = loadConfig({
    MONITOR_API_KEY: 'bench-key',
    MONITOR_API_URL: simulator.url,
    LOG_LEVEL: variant === 'proxy-debug' ? 'debug' : 'info',
    METRICS_ENABLED: variant === 'proxy-no-metrics' ? 'false' : 'true',
  })
  // Logs go to a sink that drops them: this measures the logging work, not a terminal.
  const { createLogger } = await import('../dist/logger.js')
  const { Writable } = await import('node:stream')
  const sink = new Writable({ write: (_chunk, _enc, done) => done() })
  app = await buildApp(config, { logger: createLogger(config.logLevel, sink) })
} else if (variant === 'render-per-request') {
  // The naive proxy: the same badge, rendered on every request.
  app = Fastify()
  app.get('/badge.svg', async (_request, reply) =>
    reply
      .type('image/svg+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .send(makeBadge({ label: 'status', message: 'operational', color: 'brightgreen' })),
  )
} else if (variant === 'constant') {
  // The ceiling: Fastify sending a constant buffer of the same size.
  const body = Buffer.from(makeBadge({ label: 'status', message: 'operational', color: 'brightgreen' }))
  app = Fastify()
  app.get('/badge.svg', async (_request, reply) => reply.type('image/svg+xml').send(body))
} else if (variant === 'constant-headers') {
  const body = Buffer.from(makeBadge({ label: 'status', message: 'operational', color: 'brightgreen' }))
  const headers = {
    'content-type': 'image/svg+xml; charset=utf-8',
    'cache-control': 'public, max-age=60, s-maxage=60, stale-while-revalidate=60, stale-if-error=1800',
    etag: '"3-8tQJBSa7j_Q4FrS9XbEiSQRCU"',
    'last-modified': new Date().toUTCString(),
  }
  app = Fastify()
  const caching = (await import('@fastify/caching')).default
  await app.register(caching, { privacy: 'no-store' })
  app.get('/badge.svg', async (_request, reply) => reply.headers(headers).send(body))
} else {
  throw new Error(`unknown variant ${variant}`)
}
await app.listen({ host: '127.0.0.1', port: 0 })
if (app.poller) await app.poller.firstAttempt('status')
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${app.server.address().port}` })}\n`)
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage()
    process.send?.({ cpuMicros: user + system })
  } else if (message === 'memory') {
    globalThis.gc?.()
    process.send?.({ rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed })
  }
})
process.on('SIGINT', () => process.exit(0))
