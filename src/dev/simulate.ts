import '../node-version.js'
import { SCENARIO_NAMES, type ScenarioName } from './scenarios.js'
import { startSimulator } from './simulator.js'

/**
 * `npm run simulator`: the simulated Server Monitor API on its own, so that
 * the service can be run for real (`npm start`) without a key. Its state
 * cycles through every badge state, as in the demo.
 *   SIMULATOR_PORT           port (default 4000; 0 picks a free one)
 *   SIMULATOR_HOST           address (default 127.0.0.1)
 *   SIMULATOR_API_KEY        the key it accepts (default demo-key)
 *   SIMULATOR_CYCLE_SECONDS  seconds per state; 0 keeps the first (default 8)
 */
function setting(name: string, fallback: string): string {
  const value = process.env[name]?.trim()
  return value === undefined || value === '' ? fallback : value
}

function whole(name: string, fallback: number, max: number): number {
  const text = setting(name, String(fallback))
  const value = Number(text)
  if (!/^\d+$/.test(text) || value > max) {
    process.stderr.write(`simulator: ${name} must be a whole number from 0 to ${max}\n`)
    process.exit(1)
  }
  return value
}

const port = whole('SIMULATOR_PORT', 4000, 65535)
const cycleSeconds = whole('SIMULATOR_CYCLE_SECONDS', 8, 86400)
const apiKey = setting('SIMULATOR_API_KEY', 'demo-key')
const simulator = await startSimulator({ apiKey, port, host: setting('SIMULATOR_HOST', '127.0.0.1') })

let scenario = 0
const cycle =
  cycleSeconds > 0
    ? setInterval(() => {
        scenario = (scenario + 1) % SCENARIO_NAMES.length
        const name: ScenarioName = SCENARIO_NAMES[scenario] ?? 'operational'
        simulator.setScenario(name)
        process.stdout.write(`upstream is now: ${name}\n`)
      }, cycleSeconds * 1000)
    : undefined

async function stop() {
  clearInterval(cycle)
  await simulator.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())

process.stdout.write(`simulated Server Monitor API at ${simulator.url}
  for the service, in .env (or the environment):
    MONITOR_API_URL=${simulator.url}
    MONITOR_API_KEY=${apiKey}
  ${cycleSeconds > 0 ? `cycles through ${SCENARIO_NAMES.join(', ')} every ${cycleSeconds} s` : 'stays operational'}; Ctrl-C stops.
`)
