import { get } from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import type { Simulator } from '../../src/dev/simulator.js'
import { COMPONENT_ID } from '../../src/status/ids.js'
import { createMemoryBudget } from '../../src/upstream/budget.js'
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

/** The first frame of a live-update stream (GET /events) and its headers; the stream is then closed. */
function firstEvent(port: number): Promise<{ status: number | undefined; type: string; frame: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/events' }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
        const end = text.indexOf('\n\n', text.indexOf('event: status'))
        if (end === -1) return
        req.destroy()
        resolve({ status: res.statusCode, type: String(res.headers['content-type']), frame: text.slice(0, end) })
      })
    })
    req.on('error', reject)
    req.setTimeout(5_000, () => req.destroy(new Error('no status event within 5 s')))
  })
}

/** A status event is /badge.json's JSON on one data line: parseable, an overall status, no key. */
function checkEvent({ status, type, frame }: { status: number | undefined; type: string; frame: string }): void {
  expect(status).toBe(200)
  expect(type).toMatch(/^text\/event-stream/)
  expect(keyIn(frame, TEST_API_KEY)).toEqual([])
  expect(keyDecodedIn(frame, TEST_API_KEY)).toBe(false)
  const data = /^data: (.*)$/m.exec(frame)?.[1] ?? ''
  const event = JSON.parse(data) as { status?: unknown }
  expect(typeof event.status).toBe('string')
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
          expect(Object.keys(monitor).sort()).toEqual(['active', 'createdAt', 'id', 'name', 'status', 'updatedAt'])
        }
      }),
      { ...BUDGET, numRuns: 3000 },
    )
    if (result.failed)
      throw new Error(fc.defaultReportMessage(result) ?? 'property failed', { cause: result.errorInstance })
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
        const { counts, uptimePercentage, incidents } = outcome.data
        for (const incident of incidents) {
          const { title } = incident
          if (title !== undefined) {
            expect(title).not.toBe('')
            expect(title).not.toMatch(CONTROLS)
            expect(Array.from(title).length).toBeLessThanOrEqual(MAX_UNTRUSTED_CHARS)
            expect(keyDecodedIn(title, TEST_API_KEY)).toBe(false)
          }
          expect(keyIn(JSON.stringify(incident), TEST_API_KEY)).toEqual([])
        }
        for (const n of Object.values(counts)) if (n !== undefined) expect(Number.isInteger(n) && n >= 0).toBe(true)
        if (uptimePercentage !== undefined) expect(uptimePercentage >= 0 && uptimePercentage <= 100).toBe(true)
      }),
      { ...BUDGET, numRuns: 3000 },
    )
    if (result.failed)
      throw new Error(fc.defaultReportMessage(result) ?? 'property failed', { cause: result.errorInstance })
    expect(result.numRuns).toBeGreaterThanOrEqual(1000)
  }, 40_000)
})

describe('the app, whatever the upstream answers', () => {
  let upstream: Simulator
  let app: App
  let records: () => Array<Record<string, unknown>>
  let port = 0

  beforeAll(async () => {
    upstream = await startTestUpstream()
    // A budget no case waits for: every case polls twice, and a generated 429 would hold the next
    // case for its Retry-After (holds are tested in test/upstream/budget.test.ts).
    const unbounded = createMemoryBudget({ perMinute: 1e9, perHour: 1e9 }, { now: Date.now })
    const built = await buildTestApp({
      upstream,
      // Each case opens a stream and drops it; on a loaded machine the server may count a few
      // closes late, and the per-address limit (tested in test/events) must not answer 503 for it.
      env: { PUBLIC_COMPONENTS: '*', PUBLIC_INCIDENTS: 'true', EVENTS_MAX_PER_CLIENT: '1000' },
      deps: { budget: { ...unbounded, hold: () => Promise.resolve() } },
    })
    app = built.app
    records = () => built.records()
    await app.listen({ port: 0, host: '127.0.0.1' })
    await firstPolls(app)
    const address = app.server.address()
    port = typeof address === 'object' && address ? address.port : 0
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
    '/api/v2/status.json',
    '/api/v2/components.json',
    '/api/v2/summary.json',
    '/api/v2/incidents.json',
    '/api/v2/incidents/unresolved.json',
    '/healthz',
    '/readyz',
    '/metrics',
  ]

  it('serves every route and live-update event: no 5xx, SVG well-formed, nothing unescaped, no key, no internal error', async () => {
    const result = await fc.check(
      fc.asyncProperty(
        answer(encoded(statusBody)),
        answer(encoded(monitorsBody)),
        // A few routes a case: more upstream answers in the time budget, every route still met often.
        fc.shuffledSubarray(ROUTES, { minLength: 4, maxLength: 6 }),
        fc.constantFrom('.svg', '.json', '.shields.json'),
        async (status, monitors, routes, format) => {
          upstream.enqueue('/status', status)
          upstream.enqueue('/monitors', monitors)
          await Promise.all([app.poller.refresh('status'), app.poller.refresh('monitors')])
          const listed = app.snapshots.current().components.monitors.slice(0, 2)
          const urls = [...routes, ...listed.map(({ id }) => `/components/${encodeURIComponent(id)}/badge${format}`)]
          for (const url of urls) checkAnswer(await app.inject(url))
          checkEvent(await firstEvent(port))
        },
      ),
      { ...BUDGET, numRuns: 600 },
    )
    if (result.failed)
      throw new Error(fc.defaultReportMessage(result) ?? 'property failed', { cause: result.errorInstance })
    console.log(`upstream answers through the app: ${result.numRuns} generated cases`)
    expect(result.numRuns).toBeGreaterThanOrEqual(150)
    // A failure is a warning with its code; an error-level line would be a bug of the service.
    expect(records().filter((r) => Number(r.level) >= 50)).toEqual([])
    expect(records().filter((r) => r.code === 'POLL_FAILED')).toEqual([])
  }, 40_000)
})
