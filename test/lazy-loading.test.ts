import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from '../src/dev/simulator.js'
import { startTestUpstream, TEST_API_KEY } from './helper.js'
import { fetchRecorded, startProcess, type ServerProcess } from './process.js'

const ROOT = resolve(import.meta.dirname, '..')

/** What only some users need, by the module that brings it in. */
const RASTERISER = /\/@resvg\/resvg-js/
const SANITISER = /\/saxes\/|\/badge\/logos\/sanitize\.js$/
const ICON_MODULE = /\/simple-icons\//

describe('what only some users need loads on first use', () => {
  let upstream: Simulator
  let server: ServerProcess
  let base: string
  let folder: string
  let trace: string
  const loaded = async () => (await readFile(trace, 'utf8')).split('\n').filter(Boolean)
  const get = async (path: string) => {
    const response = await fetchRecorded(`${base}${path}`)
    expect(response.status, path).toBe(200)
    expect(response.headers.get('x-badge-error'), path).toBeNull()
    return response
  }

  beforeAll(async () => {
    upstream = await startTestUpstream()
    folder = await mkdtemp(join(tmpdir(), 'lazy-'))
    trace = join(folder, 'loads.txt')
    server = startProcess('node --import ./test/fixtures/trace-loads.ts dist/server.js', {
      cwd: ROOT,
      env: {
        MONITOR_API_URL: upstream.url,
        MONITOR_API_KEY: TEST_API_KEY,
        PORT: '0',
        HOST: '127.0.0.1',
        PUBLIC_COMPONENTS: '*',
        LOAD_TRACE: trace,
      },
    })
    base = await server.listening()
  })

  afterAll(async () => {
    server.child.kill('SIGTERM')
    await server.exited
    await upstream.close()
    await rm(folder, { recursive: true, force: true })
  })

  it('serves every badge without logo or PNG, and the landing page, without them', async () => {
    for (const path of [
      '/badge.svg',
      '/badge.svg?theme=dark&majorOutageColor=black',
      '/badge.json',
      '/uptime/badge.svg',
      '/components/1/badge.svg',
      '/components/badge.svg?ids=1,2',
      '/components/badge.shields.json?ids=1',
      '/',
    ]) {
      await get(path)
    }
    const modules = await loaded()
    // The trace works: the service's own modules are in it.
    expect(modules.some((url) => url.endsWith('/dist/badge/formats/png.js'))).toBe(true)
    expect(modules.filter((url) => RASTERISER.test(url))).toEqual([])
    expect(modules.filter((url) => SANITISER.test(url))).toEqual([])
    expect(modules.filter((url) => ICON_MODULE.test(url))).toEqual([])
  })

  it('loads the sanitiser with the first logo given as data, and never the icon module', async () => {
    await get('/badge.svg?logo=github')
    const logo = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'
    await get(
      `/badge.svg?logo=${encodeURIComponent(`data:image/svg+xml;base64,${Buffer.from(logo).toString('base64')}`)}`,
    )
    const modules = await loaded()
    expect(modules.filter((url) => SANITISER.test(url)).length).toBeGreaterThan(0)
    // Icons are read one file at a time: the module holding all of them is never loaded.
    expect(modules.filter((url) => ICON_MODULE.test(url))).toEqual([])
    expect(modules.filter((url) => RASTERISER.test(url))).toEqual([])
  })

  it('loads the rasteriser with the first PNG', async () => {
    const png = await get('/badge.png')
    expect(png.headers.get('content-type')).toBe('image/png')
    expect((await loaded()).filter((url) => RASTERISER.test(url)).length).toBeGreaterThan(0)
  })
})
