import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { jsonFormat } from '../../src/badge/formats/json.js'
import { pngFormat } from '../../src/badge/formats/png.js'
import { createLogos } from '../../src/badge/logos/logos.js'
import { createRasteriser } from '../../src/badge/raster.js'
import { shieldsFormat } from '../../src/badge/formats/shields.js'
import { svgFormat } from '../../src/badge/formats/svg.js'
import { createBadgeRegistry } from '../../src/badge/registry.js'
import type { Subject } from '../../src/badge/subject.js'
import { createResponder } from '../../src/http/responder.js'
import { createVariantCache } from '../../src/http/variants.js'
import { jsonHeaders } from '../../src/http/security.js'
import { createLogger } from '../../src/observability/logger.js'
import { NO_COUNTS } from '../../src/observability/response-counts.js'
import type { Snapshot, SnapshotStore } from '../../src/status/snapshot.js'
import { svgFacts } from '../svg.js'

/** A snapshot that says only what these subjects read. */
function storeOf(generation: () => number): SnapshotStore {
  const view = { data: undefined, last: undefined, updatedAt: null, stale: false, asOf: 0, validUntil: Infinity }
  return {
    current: () =>
      ({
        generation: generation(),
        status: view,
        monitors: view,
        settled: { status: true, monitors: true },
      }) as unknown as Snapshot,
    firstPoll: async () => undefined,
    update: () => undefined,
    subscribe: () => () => undefined,
    close: () => undefined,
  }
}

/** The shape of a new subject: a path, the fields of its JSON, and a pure function. */
const greeting: Subject<{ readonly who: string }> = {
  name: 'greeting',
  path: '/hello/:who/badge',
  params: { type: 'object', properties: { who: { type: 'string', pattern: '^[a-z]{1,10}$' } } },
  fields: { who: { type: 'string' } },
  resource: 'status',
  errorLabel: 'hello',
  badge: (_snapshot, { who }) =>
    who === 'nobody'
      ? undefined
      : {
          label: 'hello',
          message: who,
          color: 'blue',
          known: true,
          fields: { who },
          view: { updatedAt: null, stale: false, asOf: 0 },
        },
}
const failing: Subject = {
  name: 'failing',
  path: '/fail/badge',
  fields: {},
  resource: 'status',
  errorLabel: 'fail',
  badge: () => {
    throw new Error('secret detail')
  },
}

let generation = 1
const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()))
})

async function appWith(...subjects: readonly Subject[]) {
  const badges = createVariantCache({ maxBytes: 1024 * 1024 })
  const responder = createResponder({ closing: () => false, counts: NO_COUNTS })
  const registry = createBadgeRegistry({
    subjects,
    formats: [svgFormat, pngFormat, jsonFormat, shieldsFormat],
    context: {
      cachePolicy: { maxAgeSeconds: 60, staleIfErrorSeconds: 600 },
      jsonHeaders: jsonHeaders('*'),
      logos: createLogos(),
      rasteriser: createRasteriser({ maxInFlight: 1, maxQueued: 4, timeoutMs: 10_000, scale: 2 }),
    },
    store: storeOf(() => generation),
    variants: badges,
    rasters: createVariantCache({ maxBytes: 1024 * 1024 }),
    errors: createVariantCache({ maxBytes: 64 * 1024 }),
    send: responder.send,
    label: 'status',
    logger: createLogger('silent'),
  })
  const app = Fastify()
  registry.addSchemas(app)
  registry.register(app, 'images', responder.direct)
  registry.register(app, 'documents')
  apps.push(app)
  await app.ready()
  return { app, badges }
}

describe('the badge registry', () => {
  it('makes a subject declared once into its .svg, .png, .json and .shields.json routes', async () => {
    const { app } = await appWith(greeting)
    expect(svgFacts((await app.inject('/hello/world/badge.svg')).body).texts).toEqual(['hello', 'world'])
    const png = await app.inject('/hello/world/badge.png')
    expect(png.headers['content-type']).toBe('image/png')
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG')
    expect((await app.inject('/hello/world/badge.json')).json()).toEqual({
      who: 'world',
      label: 'hello',
      message: 'world',
      color: '#007ec6',
      updatedAt: null,
      stale: false,
    })
    expect((await app.inject('/hello/world/badge.shields.json')).json()).toMatchObject({
      message: 'world',
      color: 'blue',
    })
  })

  it('prepares a variant once per snapshot, and only renders when its content changes', async () => {
    const { app, badges } = await appWith(greeting)
    await app.inject('/hello/world/badge.svg?style=plastic')
    await app.inject('/hello/world/badge.svg?style=plastic')
    expect(badges.stats()).toMatchObject({ prepared: 1, hits: 1 })
    generation++
    const again = await app.inject('/hello/world/badge.svg?style=plastic')
    expect(again.statusCode).toBe(200)
    expect(badges.stats()).toMatchObject({ prepared: 1, confirmed: 1 })
  })

  it('answers "no such subject" in each format: an image, a JSON 404, shields isError', async () => {
    const { app } = await appWith(greeting)
    const svg = await app.inject('/hello/nobody/badge.svg?style=for-the-badge')
    expect(svg.statusCode).toBe(200)
    expect(svgFacts(svg.body).texts).toEqual(['HELLO', 'NOT FOUND'])
    const json = await app.inject('/hello/nobody/badge.json')
    expect(json.statusCode).toBe(404)
    expect(json.headers.etag).toBeUndefined()
    expect(json.headers['last-modified']).toBeUndefined()
    const shields = await app.inject('/hello/nobody/badge.shields.json')
    expect(shields.statusCode).toBe(200)
    expect(shields.json()).toMatchObject({ message: 'not found', isError: true })
    // A parameter that cannot be valid: the same answers.
    expect((await app.inject('/hello/NO/badge.svg')).headers['x-badge-error']).toBe('not found')
    expect((await app.inject('/hello/NO/badge.json')).json()).toEqual({ error: 'invalid id' })
    expect((await app.inject('/hello/NO/badge.shields.json')).json()).toMatchObject({ isError: true })
  })

  it('answers a thrown error in the route format, never with its text', async () => {
    const { app } = await appWith(failing)
    const svg = await app.inject('/fail/badge.svg?style=flat-square')
    expect(svg.statusCode).toBe(200)
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8')
    expect(svg.headers['x-badge-error']).toBe('internal server error')
    expect(svg.headers['cache-control']).toBe('public, max-age=5, s-maxage=5')
    const json = await app.inject('/fail/badge.json')
    expect(json.statusCode).toBe(500)
    expect(json.json()).toEqual({ error: 'internal server error' })
    expect(json.headers.etag).toBeUndefined()
    const shields = await app.inject('/fail/badge.shields.json')
    expect(shields.statusCode).toBe(200)
    expect(shields.json()).toMatchObject({ message: 'internal server error', isError: true })
    const png = await app.inject('/fail/badge.png')
    expect(png.statusCode).toBe(200)
    expect(png.headers['content-type']).toBe('image/png')
    expect(png.headers['x-badge-error']).toBe('internal server error')
    for (const response of [svg, json, shields, png]) expect(response.body).not.toContain('secret detail')
  })
})
