import fc from 'fast-check'
import { TEST_API_KEY } from '../helper.js'
import { mixedSpelling } from '../key.js'
import { CANARY } from './answers.js'

/**
 * What a hostile (or merely broken) upstream might answer: bodies, headers
 * and statuses, with the key spelled every way, markup, controls and
 * nesting in the texts it chooses.
 */

/** Text the upstream chooses: anything, often with the key, the canary or markup in it. */
export const upstreamText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 20 }), mixedSpelling(TEST_API_KEY), fc.string({ maxLength: 20 }))
      .map((parts) => parts.join('')),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 10 }),
        fc.constantFrom(`<${CANARY}>`, `"${CANARY}`, `'${CANARY}`, ']]>', '<!--', '\u0000', '\u202e', '\ufffe'),
        fc.string({ maxLength: 10 }),
      )
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 190, maxLength: 400 }) },
)

const anyValue = fc.oneof(upstreamText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue())

export const monitorItem = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        id: fc.oneof(
          fc.nat(40),
          fc.nat(40).map(String),
          fc.constantFrom(' 7 ', '-1', '1.5', 'a_b-C', 'LeakCanary', '../x', ''),
          upstreamText,
        ),
        name: fc.oneof({ weight: 5, arbitrary: upstreamText }, { weight: 1, arbitrary: anyValue }),
        status: fc.oneof(fc.constantFrom('up', 'DOWN', 'pending', 'paused', 'maintenance', 'online'), upstreamText),
        is_active: fc.oneof(fc.constantFrom(0, 1, '0', '1', true, false, 'yes'), anyValue),
        type: upstreamText,
        target: upstreamText,
        extra: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
)

const success = fc.oneof(
  { weight: 6, arbitrary: fc.constant(true) },
  { weight: 1, arbitrary: fc.constantFrom(1, '1', 'true', false, 0, null) },
)

export const monitorsBody = fc.record(
  {
    success,
    data: fc.oneof(
      { weight: 8, arbitrary: fc.record({ monitors: fc.array(monitorItem, { maxLength: 30 }), count: anyValue }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    ),
    error: fc.oneof(upstreamText, fc.jsonValue({ maxDepth: 3 })),
  },
  { requiredKeys: ['success'] },
)

/** An active incident as the upstream might spell it: any field name tried, the key in titles and ids. */
export const incidentItem = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        id: fc.oneof(fc.nat(40), upstreamText, mixedSpelling(TEST_API_KEY)),
        title: upstreamText,
        name: upstreamText,
        message: anyValue,
        status: fc.oneof(fc.constantFrom('investigating', 'identified', 'monitoring', 'resolved'), upstreamText),
        severity: fc.oneof(fc.constantFrom('minor', 'major', 'critical'), upstreamText),
        monitor_id: fc.oneof(fc.nat(40), upstreamText, mixedSpelling(TEST_API_KEY)),
        monitor: fc.record({ id: fc.oneof(fc.nat(40), upstreamText) }, { requiredKeys: [] }),
        started_at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          upstreamText,
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 2, arbitrary: upstreamText },
  { weight: 1, arbitrary: anyValue },
)

const count = fc.oneof(fc.nat(50), fc.nat(50).map(String), anyValue)
export const statusBody = fc.record(
  {
    success,
    data: fc.record(
      {
        status: fc.oneof(
          {
            weight: 8,
            arbitrary: fc.record(
              {
                total: count,
                up: count,
                down: count,
                pending: count,
                paused: count,
                overall_status: fc.oneof(
                  fc.constantFrom('operational', 'degraded', 'Partial Outage', 'major-outage', 'under_maintenance'),
                  upstreamText,
                ),
                uptime_percentage: fc.oneof(
                  fc.double({ min: -10, max: 110 }),
                  fc.constantFrom('99.95', '80%'),
                  anyValue,
                ),
              },
              { requiredKeys: [] },
            ),
          },
          { weight: 1, arbitrary: anyValue },
        ),
        active_incidents: fc.oneof(
          { weight: 4, arbitrary: fc.array(incidentItem, { maxLength: 4 }) },
          { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) },
          { weight: 1, arbitrary: anyValue },
        ),
        timestamp: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          upstreamText,
        ),
      },
      { requiredKeys: [] },
    ),
    error: fc.oneof(upstreamText, fc.jsonValue({ maxDepth: 3 })),
  },
  { requiredKeys: ['success'] },
)

/** A JSON value as the upstream may have written it: plainly, with a BOM, cut short, nested past all reason. */
export const encoded = (value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 8, arbitrary: value.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: value.map((v) => `\ufeff${JSON.stringify(v)}`) },
    { weight: 1, arbitrary: value.map((v) => JSON.stringify(v).slice(0, -3)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 60, max: 5000 }), mixedSpelling(TEST_API_KEY))
        .map(([depth, key]) => `{"success":false,"error":${'['.repeat(depth)}"${key}"${']'.repeat(depth)}}`),
    },
    { weight: 1, arbitrary: upstreamText.map((t) => `<html><body>${t}</body></html>`) },
  )

export interface Answer {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

/** A whole answer: mostly a 200 with the body, sometimes an error status, a redirect, a 429. */
export const answer = (body: fc.Arbitrary<string>): fc.Arbitrary<Answer> =>
  fc.record({
    status: fc.oneof(
      { weight: 8, arbitrary: fc.constant(200) },
      { weight: 2, arbitrary: fc.constantFrom(301, 302, 307, 401, 403, 404, 429, 500, 502, 503) },
      { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
    ),
    headers: fc.record(
      {
        'content-type': fc.oneof(
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-8',
            'text/html; charset=UTF-8',
            'text/plain',
          ),
          upstreamText.map((t) => t.replace(/[^\x20-\x7e]/g, '')),
        ),
        location: fc
          .tuple(fc.constantFrom('https://', '/', 'http://x.example/'), mixedSpelling(TEST_API_KEY))
          .map(([start, key]) => `${start}${key}`.replace(/[^\x21-\x7e]/g, '')),
        'retry-after': fc.oneof(
          fc.nat(100_000).map(String),
          upstreamText.map((t) => t.replace(/[^\x20-\x7e]/g, '')),
        ),
      },
      { requiredKeys: [] },
    ),
    body,
  })
