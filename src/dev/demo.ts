import '../node-version.js'
import { buildApp } from '../app.js'
import { ConfigError, loadConfig } from '../config.js'
import { SCENARIO_NAMES } from './scenarios.js'
import { startSimulator } from './simulator.js'

/**
 * `npm run demo`: the proxy against a simulated upstream whose state cycles
 * through all six badge states. No key, no network. PORT, HOST, LOG_LEVEL
 * and the badge settings come from the environment as usual (with every
 * component public unless PUBLIC_COMPONENTS says otherwise); the key, the
 * upstream URL, a short TTL, an upstream budget that fits it and a webhook
 * token are the demo's own.
 */
const DEMO_KEY = 'demo-key'
const DEMO_WEBHOOK_TOKEN = 'demo-webhook-token-not-a-secret'
const CYCLE_MS = 8_000
const TTL_SECONDS = 5
/** 2 calls every 5 s: 24 a minute, 1440 an hour, with room for webhooks. The simulator has no limit. */
const BUDGET = { UPSTREAM_MAX_PER_MINUTE: '60', UPSTREAM_MAX_PER_HOUR: '3600' }

const simulator = await startSimulator({ apiKey: DEMO_KEY })
let config
try {
  config = loadConfig({
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PUBLIC_COMPONENTS: '*',
    ...process.env,
    MONITOR_API_KEY: DEMO_KEY,
    MONITOR_API_URL: simulator.url,
    CACHE_TTL_SECONDS: String(TTL_SECONDS),
    ...BUDGET,
    WEBHOOK_TOKEN: DEMO_WEBHOOK_TOKEN,
  })
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stderr.write(`demo: ${err.message}\n`)
  process.exit(1)
}
const app = await buildApp(config)

let scenario = 0
const cycle = setInterval(() => {
  scenario = (scenario + 1) % SCENARIO_NAMES.length
  const name = SCENARIO_NAMES[scenario] ?? 'operational'
  simulator.setScenario(name)
  process.stdout.write(`upstream is now: ${name}\n`)
}, CYCLE_MS)

async function stop() {
  clearInterval(cycle)
  await app.close()
  await simulator.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())

await app.listen({ host: config.host, port: config.port })
const address = app.server.address()
const port = typeof address === 'object' && address ? address.port : config.port
const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
process.stdout.write(`
status-badge-proxy demo
  simulated upstream  ${simulator.url}  (key "${DEMO_KEY}"; cycles through ${SCENARIO_NAMES.join(', ')} every ${CYCLE_MS / 1000} s)
  proxy polls it every ${TTL_SECONDS} s; open:
    ${base}/                 (the landing page: every badge, with snippets)
    ${base}/badge.svg
    ${base}/badge.json
    ${base}/uptime/badge.svg
    ${base}/components.json
    ${base}/components/1/badge.svg
    ${base}/healthz
    ${base}/readyz
  a webhook, as the monitor's dashboard would send it:
    curl -X POST '${base}/webhook?token=${DEMO_WEBHOOK_TOKEN}' -d '{"event":"incident.created"}'
  Ctrl-C stops.

upstream is now: ${SCENARIO_NAMES[0] ?? 'operational'}
`)
