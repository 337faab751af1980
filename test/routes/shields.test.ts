import { describe, expect, it } from 'vitest'
import { matchesSchema, SHIELDS_ENDPOINT_JSON } from '../schema.js'
import type { App } from '../../src/app.js'
import { useUpstream } from '../helper.js'

const t = useUpstream({ PUBLIC_COMPONENTS: '1,2' })
const { ready } = t

async function shields(app: App, url: string) {
  const response = await app.inject(url)
  expect(response.statusCode, url).toBe(200)
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
  const body = response.json<Record<string, unknown>>()
  expect(matchesSchema(SHIELDS_ENDPOINT_JSON, body), JSON.stringify(body)).toBe(true)
  return { body, headers: response.headers }
}

describe('shields.io endpoint JSON', () => {
  it('for each badge, with only the keys shields accepts', async () => {
    const app = await ready()
    expect((await shields(app, '/badge.shields.json')).body).toEqual({
      schemaVersion: 1,
      label: 'status',
      message: 'operational',
      color: 'brightgreen',
      cacheSeconds: 300,
    })
    expect((await shields(app, '/uptime/badge.shields.json')).body).toEqual({
      schemaVersion: 1,
      label: 'uptime',
      message: '100%',
      color: 'brightgreen',
      cacheSeconds: 300,
    })
    expect((await shields(app, '/components/1/badge.shields.json')).body).toEqual({
      schemaVersion: 1,
      label: 'Web Server',
      message: 'up',
      color: 'brightgreen',
      cacheSeconds: 300,
    })
  })

  it('answers 200 with isError for a hidden, missing or impossible component', async () => {
    const app = await ready()
    for (const id of ['3', '999', 'bad%3Cid']) {
      const { body, headers } = await shields(app, `/components/${id}/badge.shields.json`)
      expect(body).toEqual({
        schemaVersion: 1,
        label: 'component',
        message: 'not found',
        color: 'lightgrey',
        cacheSeconds: 300,
        isError: true,
      })
      expect(headers['x-badge-error']).toBe('not found')
    }
  })

  it('flags an unknown status as an error', async () => {
    t.upstream.override('/status', { status: 500 })
    const app = await ready()
    expect((await shields(app, '/badge.shields.json')).body).toMatchObject({ message: 'unknown', isError: true })
    expect((await shields(app, '/uptime/badge.shields.json')).body).toMatchObject({ message: 'unknown', isError: true })
  })

  it('asks shields to cache as long as the badges are cached, never under its minimum of 300 s', async () => {
    const app = await ready({ BADGE_MAX_AGE_SECONDS: '900', CACHE_TTL_SECONDS: '1200' })
    expect((await shields(app, '/badge.shields.json')).body).toMatchObject({ cacheSeconds: 900 })
  })

  it('answers an unknown *.shields.json path in kind', async () => {
    const app = await ready()
    expect((await shields(app, '/nope/badge.shields.json')).body).toMatchObject({ message: 'not found', isError: true })
  })
})
