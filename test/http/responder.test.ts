import fc from 'fast-check'
import { request as httpRequest } from 'node:http'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { represent, type Representation } from '../../src/http/prepared.js'
import { createResponder } from '../../src/http/responder.js'
import type { ResponseCounts } from '../../src/observability/response-counts.js'

/** The three kinds of answer a responder sends: a small badge, a compressible document, an error. */
const representations: Record<string, Representation> = {
  badge: represent(
    {
      body: '<svg xmlns="http://www.w3.org/2000/svg"><text>up — ok</text></svg>',
      contentType: 'image/svg+xml; charset=utf-8',
      cacheControl: 'public, max-age=60',
      headers: { 'x-content-type-options': 'nosniff' },
    },
    Date.UTC(2026, 11, 2, 6, 0, 0),
  ),
  document: represent(
    {
      body: JSON.stringify({ components: Array.from({ length: 80 }, (_, i) => ({ id: i, name: `Zürich ${i}` })) }),
      contentType: 'application/json; charset=utf-8',
      cacheControl: 'public, max-age=30',
      headers: { 'access-control-allow-origin': '*' },
      compressible: true,
    },
    Date.UTC(2026, 11, 2, 6, 0, 0),
  ),
  error: represent(
    {
      body: '{"error":"not found"}',
      contentType: 'application/json; charset=utf-8',
      cacheControl: 'public, max-age=60',
      headers: { 'x-badge-error': 'not found' },
      statusCode: 404,
    },
    0,
  ),
}

let closing = false
const counted: string[] = []
const counts: ResponseCounts = {
  count: (route, status, error) => counted.push(`${route} ${status} ${error ?? ''}`),
  responses: () => new Map(),
  errors: () => new Map(),
}
let app: FastifyInstance

beforeAll(async () => {
  const { send, direct } = createResponder({ closing: () => closing, counts })
  app = Fastify()
  for (const [name, out] of [
    ['fastify', send],
    ['direct', direct],
  ] as const) {
    app.get<{ Params: { kind: string } }>(`/${name}/:kind`, (request, reply) =>
      out(`/${name}`, request, reply, representations[request.params.kind] as Representation),
    )
  }
  await app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(() => app.close())

/** What a client sees of an answer, over a real connection: status, headers (Date aside), body. */
function exchange(method: 'GET' | 'HEAD', path: string, headers: Record<string, string> = {}) {
  const { port } = app.server.address() as { port: number }
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const { date, ...rest } = res.headers
        expect(date).toBeTypeOf('string')
        resolve({ status: res.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks).toString('base64') })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the direct responder', () => {
  it('sends what the Fastify reply sends, to any conditional or coding, by GET or HEAD, while closing or not', async () => {
    const document = representations.document as Representation
    const tags = [
      document.validators.etag,
      document.encoded?.br?.validators.etag ?? '',
      document.encoded?.gzip?.validators.etag ?? '',
      (representations.badge as Representation).validators.etag,
    ]
    const ifNoneMatch = fc.oneof(
      fc.constantFrom(...tags),
      fc.constantFrom('*', 'W/' + (tags[0] ?? ''), `"nope", ${tags[3] ?? ''}`, '', 'garbage'),
      fc.string({ maxLength: 12 }),
    )
    const lastModified = document.validators['last-modified'] ?? ''
    const request = fc.record(
      {
        kind: fc.constantFrom('badge', 'document', 'error'),
        method: fc.constantFrom('GET' as const, 'HEAD' as const),
        closing: fc.boolean(),
        'accept-encoding': fc.oneof(
          fc.constantFrom('br', 'gzip', 'gzip, br', 'br;q=0', 'identity', '*', 'gzip;q=0.5, br;q=0.9', ''),
          fc.string({ maxLength: 12 }),
        ),
        'if-none-match': ifNoneMatch,
        'if-modified-since': fc.constantFrom(lastModified, 'Thu, 01 Jan 2026 00:00:00 GMT', '2999', 'soon'),
        'cache-control': fc.constantFrom('no-cache', 'max-age=0'),
      },
      { requiredKeys: ['kind', 'method', 'closing'] },
    )
    let notModified = 0
    await fc.assert(
      fc.asyncProperty(request, async ({ kind, method, closing: shuttingDown, ...headers }) => {
        closing = shuttingDown
        const sent: Record<string, string> = { ...headers }
        const viaFastify = await exchange(method, `/fastify/${kind}`, sent)
        const viaDirect = await exchange(method, `/direct/${kind}`, sent)
        if (viaFastify.status === 304) {
          notModified++
          // The one difference: Fastify says "content-length: 0" on a 304 to HEAD, which RFC 9110 §8.6
          // forbids (a 304's Content-Length, if any, is the 200's); direct says none, as both do to GET.
          expect(viaFastify.headers['content-length']).toBe(method === 'HEAD' ? '0' : undefined)
          expect(viaDirect.headers['content-length']).toBeUndefined()
          delete viaFastify.headers['content-length']
        }
        expect(viaDirect).toEqual(viaFastify)
        if (shuttingDown) expect(viaDirect.headers.connection).toBe('close')
      }),
      { numRuns: 400 },
    )
    // The property met 304s, not only full answers.
    expect(notModified).toBeGreaterThan(20)
  })

  it('counts each answer once, by route, status and error, as the Fastify reply does', async () => {
    closing = false
    counted.length = 0
    const etag = (representations.badge as Representation).validators.etag
    for (const name of ['fastify', 'direct']) {
      await exchange('GET', `/${name}/badge`)
      await exchange('GET', `/${name}/badge`, { 'if-none-match': etag })
      await exchange('GET', `/${name}/error`)
    }
    expect(counted).toEqual([
      '/fastify 200 ',
      '/fastify 304 ',
      '/fastify 404 not found',
      '/direct 200 ',
      '/direct 304 ',
      '/direct 404 not found',
    ])
  })
})
