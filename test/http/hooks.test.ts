import { describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { buildTestApp } from '../helper.js'

/**
 * Badges and (with any origin) the JSON documents are written to node:http
 * directly (src/http/responder.ts): a hook that sets a header or changes a
 * body on them would be skipped without a word. So no hook but the ones
 * named here may run on any route but the probes (which keep
 * @fastify/helmet's and @fastify/caching's) and the CORS preflight route
 * (its own); the landing page, which carries its headers with its bytes as
 * the badges do, is held to the same.
 */
const PROBES = new Set(['healthz', 'readyz', 'metrics'])
/** The test helper's recorder (test/helper.ts), logging, and the HEAD answer's own. */
const ALLOWED: Record<string, readonly string[]> = {
  onRequest: ['recordResponse()'],
  onResponse: ['logRequest()'],
  onSend: ['headRouteOnSendHandler()'],
}

interface RouteHooks {
  readonly name: string
  readonly method: string
  readonly hooks: Record<string, string[]>
}

/** Each route of `printRoutes({ includeHooks: true })`, with its hooks by name. */
function routesOf(app: App): RouteHooks[] {
  const routes: RouteHooks[] = []
  for (const line of app.printRoutes({ includeHooks: true, commonPrefix: false }).split('\n')) {
    const route = /([^\s│├└─]\S*) \(([A-Z, ]+)\)$/.exec(line)
    if (route) {
      routes.push({ name: route[1] ?? '', method: route[2] ?? '', hooks: {} })
      continue
    }
    const hook = /• \((\w+)\) (\[.*\])$/.exec(line)
    const current = routes.at(-1)
    if (hook && current) current.hooks[hook[1] ?? ''] = JSON.parse(hook[2] ?? '[]') as string[]
  }
  return routes
}

/** The routes (and their hooks) that run a hook the direct send would skip. */
function unexpectedHooks(app: App): string[] {
  return routesOf(app)
    .filter((route) => !PROBES.has(route.name.split('/').at(-1) ?? '') && route.method !== 'OPTIONS')
    .flatMap((route) =>
      Object.entries(route.hooks)
        .filter(([kind, names]) => names.some((name) => !(ALLOWED[kind] ?? []).includes(name)))
        .map(([kind, names]) => `${route.method} ${route.name} ${kind} ${names.join(',')}`),
    )
}

describe('hooks on the routes written directly', () => {
  it('none but the allowed ones, on every badge, page and document route', async () => {
    const { app } = await buildTestApp()
    await app.ready()
    const routes = routesOf(app)
    // The parse found the routes: /badge.svg of each subject (GET and HEAD), and the HEAD routes.
    expect(routes.filter((route) => route.name.endsWith('badge.svg')).length).toBeGreaterThanOrEqual(8)
    expect(routes.filter((route) => route.method === 'HEAD').length).toBeGreaterThanOrEqual(28)
    expect(unexpectedHooks(app)).toEqual([])
    await app.close()
  })

  it('finds a hook added later at the root, which would reach every route', async () => {
    const { app } = await buildTestApp()
    app.addHook('onSend', async function lateHeader(_request, reply, payload) {
      reply.header('x-late', '1')
      return payload
    })
    app.addHook('preHandler', async function latePreHandler() {})
    await app.ready()
    const found = unexpectedHooks(app)
    expect(found).toContain('GET badge.svg onSend lateHeader()')
    expect(found.some((line) => line.includes('latePreHandler()'))).toBe(true)
    await app.close()
  })
})
