import { connect } from 'node:net'
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { buildTestApp, firstPolls, startTestUpstream, TEST_API_KEY } from '../helper.js'
import { keyIn } from '../key.js'
import { xmlProblem } from '../xml.js'
import { CANARY, checkAnswer, REFLECTED, withoutEtag } from './answers.js'
import type { Simulator } from '../../src/dev/simulator.js'

/**
 * Every route's path, query and headers, generated: whatever a client
 * sends, no 5xx, every SVG well-formed XML, every JSON parseable, an
 * explicit Cache-Control, nothing the client sent reflected unescaped, and
 * the key in no answer. Thousands of requests, through inject(), within a
 * fixed time budget (fast-check stops at the limit and reports how many ran).
 */
const BUDGET = { numRuns: 3000, interruptAfterTimeLimit: 25_000, markInterruptAsFailure: false }
/** At least this many must have run within the budget, or the test says so. */
const MIN_RUNS = 1000

/** POST /webhook is on: generated tokens, bodies and headers meet it too. */
const WEBHOOK_TOKEN = 'whk_0123456789abcdefghijklmnop'

let upstream: Simulator
let app: App
let port = 0

beforeAll(async () => {
  upstream = await startTestUpstream()
  // An upstream as hostile as a request: the key in names, markup, controls, a repeated id.
  upstream.state.monitors = [
    { id: 1, name: `Web ${TEST_API_KEY}`, type: 'https', target: 'https://10.0.0.1/', status: 'up', is_active: 1 },
    { id: '2', name: '<b>"DB"</b> & \u0000\u0007', type: 'tcp', target: '10.0.0.2', status: 'down', is_active: '1' },
    { id: 3, name: encodeURIComponent(TEST_API_KEY), type: 'tcp', target: 'x', status: 'pending', is_active: 1 },
    { id: 1, name: 'Second one', type: 'tcp', target: 'x', status: 'down', is_active: 1 },
    { id: 'a_b-C', name: '\u202eevil\u202c', type: 'tcp', target: 'x', status: 'paused', is_active: 0 },
  ]
  upstream.state.incidents = [
    { id: 5, title: `Outage <${CANARY}> ${TEST_API_KEY}\u0000`, status: 'investigating', monitor_id: 1 },
    `bare ${encodeURIComponent(TEST_API_KEY)}`,
  ]
  app = (
    await buildTestApp({
      upstream,
      env: { PUBLIC_COMPONENTS: '*', PUBLIC_INCIDENTS: 'true', TRUST_PROXY: 'true', WEBHOOK_TOKEN },
    })
  ).app
  await app.listen({ port: 0, host: '127.0.0.1' })
  await firstPolls(app)
  const address = app.server.address()
  port = typeof address === 'object' && address ? address.port : 0
}, 30_000)
afterAll(async () => {
  await app.close()
  await upstream.close()
})

/** Text as a client might type or forge it: anything, with the canary and escapes in it now and then. */
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...REFLECTED), fc.string({ maxLength: 10 }))
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%%', '%00', '%u0041', '&&', '==', '..', '\\', '#', '?') },
  { weight: 1, arbitrary: fc.string({ minLength: 65, maxLength: 300 }) },
)

/** encodeURIComponent, which throws on a lone surrogate; a browser sends U+FFFD for one. */
const encode = (v: string) =>
  encodeURIComponent(v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'))

/** How a value lands in a URL: encoded, raw (whatever is legal there), or doubly encoded. */
const inUrl = (value: fc.Arbitrary<string>) =>
  fc.tuple(value, fc.constantFrom('encoded', 'raw', 'twice')).map(([input, how]) => {
    const v = encode(input)
    if (how === 'encoded') return v
    if (how === 'twice') return encodeURIComponent(v)
    // Raw: what inject() can carry as it is, the rest encoded (it parses URLs as WHATWG
    // does, where a backslash is a slash; the raw sockets below send anything).
    return decodeURIComponent(v).replace(/[^\x21-\x7e]|[#?\\]/gu, (c) => encodeURIComponent(c))
  })

const componentId = fc.oneof(fc.constantFrom('1', '2', '3', '4', '9', 'a_b-C', '0', '-'), inUrl(text))

const FORMATS = ['.svg', '.json', '.shields.json'] as const
const path = fc.oneof(
  fc.constantFrom(
    '/',
    '/favicon.svg',
    '/favicon.ico',
    '/components.json',
    '/healthz',
    '/readyz',
    '/metrics',
    '/badge.svg',
    '/badge.json',
    '/badge.shields.json',
    '/uptime/badge.svg',
    '/uptime/badge.json',
    '/uptime/badge.shields.json',
    '/api/v2/status.json',
    '/api/v2/components.json',
    '/api/v2/summary.json',
    '/api/v2/incidents.json',
    '/api/v2/incidents/unresolved.json',
    '/api/v2/scheduled-maintenances.json',
    '/api/v2/scheduled-maintenances/upcoming.json',
    '/api/v2/scheduled-maintenances/active.json',
    '/webhook',
  ),
  fc.tuple(componentId, fc.constantFrom(...FORMATS)).map(([id, format]) => `/components/${id}/badge${format}`),
  fc
    .tuple(fc.array(inUrl(text), { minLength: 1, maxLength: 3 }), fc.constantFrom('', ...FORMATS))
    .map(([segments, format]) => `/${segments.join('/')}${format}`),
)

const QUERY_NAMES = ['style', 'label', 'color', 'labelColor', 'logo', 'cacheSeconds', 'x']
const queryValue = fc.oneof(
  fc.constantFrom('flat', 'flat-square', 'plastic', 'for-the-badge', 'social', 'ff8800', '%23abc', 'red', ''),
  inUrl(text),
)
const query = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), inUrl(text)), queryValue), { maxLength: 5 })
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  inUrl(text).map((raw) => `?${raw}`),
)

/** Header values Node lets through: no CR, LF or NUL. */
const headerValue = fc.oneof(
  text.map((v) => v.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')),
  fc.constantFrom(
    'gzip, br',
    'br;q=0, gzip;q=0.5',
    '*',
    '"abc", W/"def"',
    'Thu, 01 Jan 2099 00:00:00 GMT',
    'no-cache',
    'https://example.com',
    `h.${CANARY}.example`,
  ),
)
const HEADER_NAMES = [
  'host',
  'accept',
  'accept-encoding',
  'if-none-match',
  'if-modified-since',
  'origin',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-for',
  'cache-control',
  'authorization',
  'user-agent',
  'cookie',
  'range',
  'access-control-request-method',
  'access-control-request-headers',
  'content-type',
  'x-webhook-token',
  'x-github-event',
]
const headers = fc.dictionary(fc.constantFrom(...HEADER_NAMES), headerValue, { maxKeys: 6 })

/** A body, sent with the POSTs: JSON a webhook might carry, or anything. */
const payload = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.record({ event: text, [CANARY]: text }).map((value) => JSON.stringify(value)),
  text,
)

const request = fc.record({
  method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'OPTIONS', 'POST', 'DELETE'),
  url: fc.tuple(path, fc.boolean(), query).map(([p, slash, q]) => `${p}${slash ? '/' : ''}${q}`),
  headers,
  payload,
})

describe('any request', () => {
  it('gets an answer: never a 5xx, SVG well-formed, JSON parseable, nothing reflected raw, no key', async () => {
    const result = await fc.check(
      fc.asyncProperty(request, async ({ method, url, headers: sent, payload: body }) => {
        const response = await app.inject({
          method: method as InjectOptions['method'],
          url,
          headers: sent,
          ...(method === 'POST' && body !== undefined && { payload: body }),
        })
        checkAnswer(response, method)
      }),
      BUDGET,
    )
    if (result.failed)
      throw new Error(fc.defaultReportMessage(result) ?? 'property failed', { cause: result.errorInstance })
    console.log(`requests: ${result.numRuns} generated cases`)
    expect(result.numRuns).toBeGreaterThanOrEqual(MIN_RUNS)
  }, 40_000)

  it('sent as raw bytes, whatever a parser makes of them, gets an answer that is never a 5xx', async () => {
    const result = await fc.check(
      fc.asyncProperty(rawRequest, async (bytes) => {
        checkRaw(await exchange(bytes), bytes.startsWith('HEAD '))
      }),
      {
        ...BUDGET,
        numRuns: 600,
      },
    )
    if (result.failed)
      throw new Error(fc.defaultReportMessage(result) ?? 'property failed', { cause: result.errorInstance })
    console.log(`raw requests: ${result.numRuns} generated cases; first answers by status:`, rawStatuses)
    expect(result.numRuns).toBeGreaterThanOrEqual(200)
  }, 40_000)
})

/** Bytes a hostile client might put on the wire: request lines and headers that inject() cannot send. */
const wireText = fc.oneof(
  text.map((v) => Buffer.from(v, 'utf8').toString('latin1')),
  fc.constantFrom('\\', '/\\<zq', '..\\..', ' ', '\t', '\u0000', '\u007f', '\u00ff', '%', '%zz', `"${CANARY}`),
)
/** Now and then, not always: a request that is wrong everywhere only ever meets the parser. */
const sometimes = (arbitrary: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary })
const rawRequest = fc
  .record({
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'OPTIONS', 'POST') },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('BREW', 'G E T', 'get', ''), wireText) },
    ),
    target: fc.tuple(path, sometimes(wireText), query).map(([p, extra, q]) => `${p}${extra}${q}`),
    version: fc.oneof(
      { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
      { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', '') },
    ),
    headers: fc.array(
      fc.tuple(
        fc.oneof(
          {
            weight: 6,
            arbitrary: fc.constantFrom(...HEADER_NAMES, 'content-length', 'transfer-encoding', 'connection'),
          },
          { weight: 1, arbitrary: wireText },
        ),
        fc.oneof({ weight: 4, arbitrary: headerValue }, { weight: 1, arbitrary: wireText }),
      ),
      { maxLength: 6 },
    ),
    host: fc.oneof(
      { weight: 6, arbitrary: fc.constant(['Host: status.example.com']) },
      { weight: 1, arbitrary: fc.constantFrom([], ['Host: a', 'Host: b'], [`Host: <${CANARY}>`]) },
    ),
  })
  .map(
    ({ method, target, version, headers: lines, host }) =>
      `${method} ${target} ${version}\r\n${[...host, ...lines.map(([k, v]) => `${k}: ${v}`)].join('\r\n')}\r\n\r\n`,
  )

/** Sends the bytes, half-closes, and reads all the server says until it closes (at most 5 s). */
function exchange(bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const done = () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks).toString('latin1'))
    }
    const timer = setTimeout(() => {
      socket.destroy()
    }, 5_000)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => undefined)
    socket.on('close', done)
    socket.end(Buffer.from(bytes, 'latin1'))
  })
}

const rawStatuses: Record<string, number> = {}

/**
 * Each answer in what came back (keep-alive may carry several): never a 5xx, always Cache-Control. An answer
 * to HEAD has no body, whatever its Content-Length says: what follows it is the next answer (Node's 400, say,
 * when the parser fails on what comes after the headers).
 */
function checkRaw(received: string, toHead: boolean): void {
  const seen = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 'none'
  rawStatuses[seen] = (rawStatuses[seen] ?? 0) + 1
  expect(keyIn(received, TEST_API_KEY)).toEqual([])
  const statuses = [...received.matchAll(/^HTTP\/1\.[01] (\d{3})[^\r]*\r\n((?:[^\r]+\r\n)*)\r\n/gm)]
  // Nothing at all is an answer too: Node may close a connection it cannot parse the start of.
  for (const [, status, head = ''] of statuses) {
    expect(Number(status), head).toBeLessThan(500)
    // Node answers a request without Host (HTTP/1.1 requires one) with a bare 400 of its own, no route
    // involved; a 400 is not cacheable unless it says so. Every other answer says how long it keeps.
    const bareHostless = status === '400' && !/content-type:/i.test(head)
    if (!bareHostless) expect(head.toLowerCase(), head).toContain('cache-control:')
    for (const mark of REFLECTED) expect(withoutEtag(head)).not.toContain(mark)
  }
  const first = statuses[0]
  if (!first) return
  const head = (first[2] ?? '').toLowerCase()
  const length = /content-length: (\d+)/.exec(head)?.[1]
  const body = toHead ? '' : received.slice(first.index + first[0].length).slice(0, Number(length ?? 0))
  if (!head.includes('content-type: application/json')) {
    for (const mark of REFLECTED) expect(body).not.toContain(mark)
  }
  if (head.includes('content-type: image/svg+xml') && length !== undefined && body.length > 0) {
    expect(xmlProblem(Buffer.from(body, 'latin1').toString('utf8'))).toBeUndefined()
  }
}
