import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import type { Simulator } from '../../src/dev/simulator.js'
import { COMPONENT_ID } from '../../src/status/ids.js'
import { UpstreamError } from '../../src/upstream/errors.js'
import type { UpstreamResponse } from '../../src/upstream/http.js'
import { createPayloadReader } from '../../src/upstream/response.js'
import { createUntrusted, MAX_UNTRUSTED_CHARS } from '../../src/upstream/untrusted.js'
import { buildTestApp, firstPolls, startTestUpstream, TEST_API_KEY } from '../helper.js'
import { keyDecodedIn, keyIn } from '../key.js'
import { checkAnswer } from './answers.js'
import { answer, encoded, monitorsBody, statusBody, type Answer } from './payloads.js'

/**
 * The upstream's payloads, generated: whatever it answers, the reader gives
 * data or one of the four named errors (never another), names fit for any
 * response, messages fit for a log line, and no key anywhere; through the
 * whole app, no 5xx, SVG well-formed, nothing unescaped, no key, no
 * "unexpected" error in the logs.
 */
const BUDGET = { interruptAfterTimeLimit: 25_000, markInterruptAsFailure: false }

// eslint-disable-next-line no-control-regex -- what a name must never carry
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\ufffe\uffff]/

const toResponse = ({ status, headers, body }: Answer): UpstreamResponse => ({
  status,
  headers,
  body: Buffer.from(body, 'utf8'),
})

/** What the reader made of an answer: data, or a named error; anything else fails the property. */
function attempt<T>(read: () => T): { data: T } | { error: UpstreamError } {
  try {
    return { data: read() }
  } catch (err) {
    expect(err).toBeInstanceOf(UpstreamError)
    return { error: err as UpstreamError }
  }
}

function checkError(error: UpstreamError): void {
  expect(error.message).toMatch(/^[\x20-\x7e]*$/)
  expect(error.message.length).toBeLessThan(400)
  expect(keyIn(error.message, TEST_API_KEY)).toEqual([])
  expect(keyDecodedIn(error.message, TEST_API_KEY)).toBe(false)
}

describe('the payload reader, on any answer', () => {
  const read = createPayloadReader(createUntrusted(TEST_API_KEY), () => Date.parse('2026-11-26T12:00:00Z'))

  it('GET /monitors: monitors fit to publish, or a named error fit to log', () => {
    const result = fc.check(
      fc.property(answer(encoded(monitorsBody)), (generated) => {
        const outcome = attempt(() => read.monitors(toResponse(generated)))
        if ('error' in outcome) {
          checkError(outcome.error)
          return
        }
        const ids = outcome.data.monitors.map((m) => m.id)
        expect(new Set(ids).size).toBe(ids.length)
        for (const monitor of outcome.data.monitors) {
          expect(monitor.id).toMatch(COMPONENT_ID)
          expect(monitor.name).not.toBe('')
          expect(monitor.name).not.toMatch(CONTROLS)
          expect(Array.from(monitor.name).length).toBeLessThanOrEqual(MAX_UNTRUSTED_CHARS)
          expect(keyIn(JSON.stringify(monitor), TEST_API_KEY)).toEqual([])
          expect(keyDecodedIn(monitor.name, TEST_API_KEY)).toBe(false)
          expect(Object.keys(monitor).sort()).toEqual(['active', 'id', 'name', 'status'])
        }
      }),
      { ...BUDGET, numRuns: 3000 },
    )
    if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? 'property failed')
    expect(result.numRuns).toBeGreaterThanOrEqual(1000)
  }, 40_000)

  it('GET /status: counts and a state, or a named error fit to log', () => {
    const result = fc.check(
      fc.property(answer(encoded(statusBody)), (generated) => {
        const outcome = attempt(() => read.status(toResponse(generated)))
        if ('error' in outcome) {
          checkError(outcome.error)
          return
        }
        const { counts, uptimePercentage } = outcome.data
        for (const n of Object.values(counts)) if (n !== undefined) expect(Number.isInteger(n) && n >= 0).toBe(true)
        if (uptimePercentage !== undefined) expect(uptimePercentage >= 0 && uptimePercentage <= 100).toBe(true)
      }),
      { ...BUDGET, numRuns: 3000 },
    )
    if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? 'property failed')
    expect(result.numRuns).toBeGreaterThanOrEqual(1000)
  }, 40_000)
})

describe('the app, whatever the upstream answers', () => {
  let upstream: Simulator
  let app: App
  let records: () => Array<Record<string, unknown>>

  beforeAll(async () => {
    upstream = await startTestUpstream()
    const built = await buildTestApp({ upstream, env: { PUBLIC_COMPONENTS: '*' } })
    app = built.app
    records = () => built.records()
    await app.ready()
    await firstPolls(app)
  }, 30_000)
  afterAll(async () => {
    await app.close()
    await upstream.close()
  })

  const ROUTES = [
    '/',
    '/badge.svg',
    '/badge.json',
    '/badge.shields.json',
    '/uptime/badge.svg?style=for-the-badge',
    '/uptime/badge.json',
    '/components.json',
    '/healthz',
    '/readyz',
    '/metrics',
  ]

  it('serves every route: no 5xx, SVG well-formed, nothing unescaped, no key, no internal error', async () => {
    const result = await fc.check(
      fc.asyncProperty(answer(encoded(statusBody)), answer(encoded(monitorsBody)), async (status, monitors) => {
        upstream.enqueue('/status', status)
        upstream.enqueue('/monitors', monitors)
        await Promise.all([app.poller.refresh('status'), app.poller.refresh('monitors')])
        const listed = app.snapshots.current().components.monitors.slice(0, 3)
        const urls = [
          ...ROUTES,
          ...listed.flatMap(({ id }) =>
            ['.svg', '.json', '.shields.json'].map((format) => `/components/${encodeURIComponent(id)}/badge${format}`),
          ),
        ]
        for (const url of urls) checkAnswer(await app.inject(url))
      }),
      { ...BUDGET, numRuns: 400 },
    )
    if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? 'property failed')
    console.log(`upstream answers through the app: ${result.numRuns} generated cases`)
    expect(result.numRuns).toBeGreaterThanOrEqual(100)
    // A failure is a warning with its code; an error-level line would be a bug of the service.
    expect(records().filter((r) => Number(r.level) >= 50)).toEqual([])
    expect(records().filter((r) => r.code === 'POLL_FAILED')).toEqual([])
  }, 40_000)
})
