import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { buildTestApp } from '../helper.js'
import { svgFacts } from '../svg.js'

let app: App

beforeAll(async () => {
  app = (await buildTestApp()).app
  await app.ready()
})
afterAll(() => app.close())

describe('unknown URLs', () => {
  it('*.svg: an image that says "not found", HTTP 200', async () => {
    const response = await app.inject('/badges/status.svg')
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-badge-error']).toBe('not found')
    expect(svgFacts(response.body).texts).toEqual(['status', 'not found'])
  })

  it('anything else: a JSON 404 with an error string', async () => {
    for (const request of [{ url: '/nope' }, { url: '/badge.svg', method: 'POST' as const }]) {
      const response = await app.inject(request)
      expect(response.statusCode).toBe(404)
      expect(response.json()).toEqual({ error: 'not found' })
      expect(response.headers['cache-control']).toBe('no-store')
    }
  })
})
