import './node-version.js'
import { existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, configWarnings, loadConfig, type Config } from './config.js'
import { VERSION } from './config/version.js'
import { createLogger } from './observability/logger.js'
import { pollPlan } from './status/pacing.js'

/** Drain (at most 5 s) and close must finish inside the 10 s an orchestrator usually allows. */
const SHUTDOWN_GRACE_MS = 9_500

function configOrExit(): Config {
  // A .env in the working folder, when there is one; the real environment wins over it.
  if (existsSync('.env')) process.loadEnvFile('.env')
  try {
    return loadConfig(process.env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`status-badge-proxy: ${err.message}\n`)
    process.exit(1)
  }
}

const config = configOrExit()
const logger = createLogger(config.logLevel)
for (const warning of configWarnings(config)) logger.warn(warning)

const app = await buildApp(config, { logger })

closeWithGrace({ delay: SHUTDOWN_GRACE_MS, logger }, async function shutdown({ signal, err }) {
  app.beginShutdown()
  if (err) {
    logger.error({ err }, 'closing after an unexpected error')
  } else {
    // Still serving, with /readyz at 503, so load balancers stop sending
    // traffic before the listener goes away.
    logger.info({ signal, drainSeconds: config.shutdownDrainSeconds }, 'shutting down: polls stopped, draining')
    await sleep(config.shutdownDrainSeconds * 1000)
  }
  logger.info('closing: finishing requests in flight')
  await app.close()
})

try {
  await app.listen({ host: config.host, port: config.port })
  for (const address of app.addresses()) {
    if (typeof address === 'string') continue
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    logger.info(`Server listening at http://${host}:${address.port}`)
  }
  const upstream = new URL(config.apiUrl)
  logger.info(
    {
      version: VERSION,
      upstream: `${upstream.origin}${upstream.pathname}`,
      pollEverySeconds: pollPlan(config).everySeconds,
      webhook: config.webhookTokens !== undefined,
    },
    'status-badge-proxy started',
  )
} catch (err) {
  logger.fatal({ err }, 'could not start listening')
  process.exit(1)
}
