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

describe('errors', () => {
  it('become a JSON body naming the status only, uncached, with the security headers', async () => {
    const { app: failing } = await buildTestApp()
    failing.get('/boom', async () => {
      throw new Error('secret detail that must not be shown')
    })
    const response = await failing.inject('/boom')
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({ error: 'internal server error' })
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    await failing.close()
  })

  it('carry no validators when their status is an error', async () => {
    for (const url of ['/nope', '/components/1/badge.json', '/%E0%A4%A.json']) {
      const response = await app.inject(url)
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400)
      expect(response.headers.etag, url).toBeUndefined()
      expect(response.headers['last-modified'], url).toBeUndefined()
    }
  })

  it('answer shields JSON with 200 and isError, whatever went wrong', async () => {
    for (const url of [
      '/components/%zz/badge.shields.json',
      `/components/${'x'.repeat(65)}/badge.shields.json`,
      `/components/${'x'.repeat(500)}/badge.shields.json`,
      '/components/a%20b/badge.shields.json',
      '/nothing/here.shields.json',
    ]) {
      const response = await app.inject(url)
      expect(response.statusCode, url).toBe(200)
      expect(response.json(), url).toMatchObject({ schemaVersion: 1, message: 'not found', isError: true })
    }
  })

  it('answer images with a "not found" image, whatever the id looks like', async () => {
    for (const url of ['/components/%zz/badge.svg', `/components/${'x'.repeat(500)}/badge.svg`]) {
      const response = await app.inject(url)
      expect(response.statusCode, url).toBe(200)
      expect(response.headers['x-badge-error'], url).toBe('not found')
    }
  })

  it('answer an undecodable URL in its format', async () => {
    const svg = await app.inject('/%E0%A4%A.svg')
    expect(svg.statusCode).toBe(200)
    expect(svg.headers['x-badge-error']).toBe('not found')
    const json = await app.inject('/components/%E0%A4%A/badge.json')
    expect(json.statusCode).toBe(400)
    expect(json.json()).toEqual({ error: 'bad request' })
    expect(json.headers['cache-control']).toBe('no-store')
  })
})
