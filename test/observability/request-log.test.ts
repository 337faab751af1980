import { afterEach, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { buildApp } from '../../src/app.js'
import { captureLogs, testConfig } from '../helper.js'

let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function appAt(level: 'debug' | 'info') {
  const { logger, lines } = captureLogs(level)
  app = await buildApp(testConfig({ LOG_LEVEL: level }), { logger, firstPollWaitMs: 0 })
  await app.ready()
  return { app, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) }
}

describe('request lines', () => {
  it('at debug: one per request, with what an operator needs and no header', async () => {
    const { app, records } = await appAt('debug')
    await app.inject({
      url: '/nope?x=1',
      headers: { authorization: 'Bearer secret-token', host: 'status.example.com' },
    })
    const lines = records().filter((r) => r.msg === 'request completed')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      level: 20,
      reqId: expect.any(String) as string,
      req: { method: 'GET', url: '/nope?x=1', host: 'status.example.com' },
      res: { statusCode: 404 },
      responseTime: expect.any(Number) as number,
    })
    expect(JSON.stringify(lines)).not.toContain('secret-token')
    expect(app.printRoutes({ includeHooks: true })).toContain('logRequest')
  })

  it('at info: none, and no hook on the request path to make them', async () => {
    const { app, records } = await appAt('info')
    await app.inject('/badge.svg')
    expect(records().filter((r) => r.msg === 'request completed')).toEqual([])
    expect(app.printRoutes({ includeHooks: true })).not.toContain('logRequest')
  })
})
