import { readdir } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { simpleIconsFolder } from '../../src/badge/logos/icons.js'
import type { Simulator } from '../../src/dev/simulator.js'
import { startTestUpstream } from '../helper.js'
import type { ServerProcess } from '../process.js'
import { flood, get, percentile, RSS_BOUND_MB, rssMb, startService } from './flood.js'

/**
 * The service's own process under floods, its memory read from /proc: the
 * bounds of README "Memory". Run by `npm run test:load` (CI runs it).
 */
let upstream: Simulator
let server: ServerProcess | undefined

beforeAll(async () => {
  upstream = await startTestUpstream()
})
afterAll(() => upstream.close())
afterEach(async () => {
  server?.child.kill('SIGKILL')
  await server?.exited
  server = undefined
})

const monitors = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    name: `Monitor number ${i + 1} in the rack`,
    type: 'https',
    target: `https://10.1.${Math.floor(i / 250)}.${i % 250}/`,
    status: i % 7 === 0 ? 'down' : 'up',
    is_active: 1,
  }))

async function startServer(): Promise<{ base: string; pid: number }> {
  const started = await startService(upstream.url)
  server = started.server
  return started
}

/** 200 000 distinct URLs: labels, Hosts, component ids and unknown paths, a quarter each. */
const distinct = (offset: number) => (i: number) => {
  const n = offset + i
  switch (n % 4) {
    case 0:
      return { path: `/badge.svg?label=${n}-${'x'.repeat(40)}` }
    case 1:
      return { path: '/', headers: { host: `h${n}.${'a'.repeat(50)}.example` } }
    case 2:
      return { path: `/components/${n}/badge.svg?style=flat-square` }
    default:
      return { path: `/no/such/${n}/badge.svg` }
  }
}

describe('memory under floods of distinct URLs', () => {
  it(`stays under ${RSS_BOUND_MB} MB and flat across a second flood`, async () => {
    upstream.state.monitors = monitors(150)
    const { base, pid } = await startServer()
    const first = await flood(base, distinct(0), 200_000)
    expect([...first.statuses.keys()]).toEqual([200])
    await sleep(1000)
    const afterFirst = await rssMb(pid)
    const second = await flood(base, distinct(1_000_000), 200_000)
    expect([...second.statuses.keys()]).toEqual([200])
    await sleep(1000)
    const afterSecond = await rssMb(pid)
    // The same URLs once more: each now asked for twice, so kept and evicted in turn.
    await flood(base, distinct(1_000_000), 200_000)
    await sleep(1000)
    const afterRepeat = await rssMb(pid)
    console.log(
      `RSS after 200 000 distinct URLs: ${afterFirst.toFixed(0)} MB; after 200 000 more: ${afterSecond.toFixed(0)} MB; after those again: ${afterRepeat.toFixed(0)} MB`,
    )
    expect(afterFirst).toBeLessThanOrEqual(RSS_BOUND_MB)
    expect(afterSecond).toBeLessThanOrEqual(RSS_BOUND_MB)
    expect(afterRepeat).toBeLessThanOrEqual(RSS_BOUND_MB)
    expect(afterSecond - afterFirst).toBeLessThan(12)
  })
})

/**
 * Distinct logo and theme combinations: simple-icons slugs in distinct
 * colours, distinct SVG logos given as data, both themes, a third of them
 * as PNG (rendered, or answered "busy" past the render bounds).
 */
const logoFlood = (slugs: readonly string[], offset: number) => (i: number) => {
  const n = offset + i
  const theme = n % 2 === 0 ? 'dark' : 'light'
  const format = n % 3 === 0 ? 'png' : 'svg'
  const color = (n % 0xffffff).toString(16).padStart(6, '0')
  if (n % 5 === 0) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle cx="50" cy="50" r="${(n % 50) + 1}.${n}"/><path d="M0 0L${n % 100} 100"/></svg>`
    const logo = encodeURIComponent(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`)
    return { path: `/badge.${format}?logo=${logo}&theme=${theme}` }
  }
  const slug = slugs[n % slugs.length] ?? 'github'
  return { path: `/components/${(n % 150) + 1}/badge.${format}?logo=${slug}&logoColor=${color}&theme=${theme}` }
}

describe('memory under floods of logos and themes', () => {
  // PNG renders are bounded at 2 at once: on a shared 2-core machine the two floods take minutes.
  it(`stays under ${RSS_BOUND_MB} MB and flat across a second flood`, { timeout: 900_000 }, async () => {
    upstream.state.monitors = monitors(150)
    const slugs = (await readdir(simpleIconsFolder())).slice(0, 400).map((name) => name.replace(/\.svg$/, ''))
    const { base, pid } = await startServer()
    const idle = await rssMb(pid)
    const first = await flood(base, logoFlood(slugs, 0), 30_000)
    expect([...first.statuses.keys()]).toEqual([200])
    await sleep(1000)
    const afterFirst = await rssMb(pid)
    const second = await flood(base, logoFlood(slugs, 1_000_000), 30_000)
    expect([...second.statuses.keys()]).toEqual([200])
    await sleep(1000)
    const afterSecond = await rssMb(pid)
    console.log(
      `RSS idle ${idle.toFixed(0)} MB; after 30 000 logo/theme URLs: ${afterFirst.toFixed(0)} MB; after 30 000 more: ${afterSecond.toFixed(0)} MB`,
    )
    expect(afterFirst).toBeLessThanOrEqual(RSS_BOUND_MB)
    expect(afterSecond).toBeLessThanOrEqual(RSS_BOUND_MB)
    expect(afterSecond - afterFirst).toBeLessThan(12)
  })
})

describe('clients that never read', () => {
  it('40 of them asking for the landing page grow RSS by less than 60 MB, and badges keep answering fast', async () => {
    upstream.state.monitors = monitors(3000)
    const { base, pid } = await startServer()
    const { port } = new URL(base)
    const host = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(50)}.example`
    await get(base, '/')
    await sleep(500)
    const atRest = await rssMb(pid)
    // The cost of not reading is counted from the service after as many clients that read asked for
    // the same pages (other Hosts): the young generation it gave back at startup grows again under
    // that work, whoever reads (README, "Memory"). From rest, the bound is 20 MB wider for that.
    const readerHost = (i: number) =>
      `${i}.${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'e'.repeat(46)}.example`
    await flood(base, (i) => ({ path: '/', headers: { host: readerHost(i) } }), 2000, 40)
    await sleep(500)
    const before = await rssMb(pid)
    const sockets: Socket[] = []
    for (let i = 0; i < 40; i++) {
      const socket = connect(Number(port), '127.0.0.1')
      // Never read: the kernel's buffers fill, then the server's.
      socket.pause()
      socket.on('error', () => undefined)
      socket.write(`GET / HTTP/1.1\r\nHost: ${i}.${host}\r\n\r\n`.repeat(50))
      sockets.push(socket)
    }
    try {
      await sleep(3000)
      const timings: number[] = []
      for (let i = 0; i < 300; i++) timings.push((await get(base, '/badge.svg')).ms)
      const during = await rssMb(pid)
      const p99 = percentile(timings, 99)
      console.log(
        `RSS ${atRest.toFixed(0)} MB at rest, ${before.toFixed(0)} MB after as many readers, ${during.toFixed(0)} MB with 40 non-reading clients; badge p99 ${p99.toFixed(1)} ms`,
      )
      expect(during - before).toBeLessThan(60)
      expect(during - atRest).toBeLessThan(80)
      expect(during).toBeLessThanOrEqual(RSS_BOUND_MB)
      expect(p99).toBeLessThan(50)
    } finally {
      for (const socket of sockets) socket.destroy()
    }
  })
})

describe('live-update streams', () => {
  it('1 000 idle ones cost less than 50 MB', async () => {
    const { base, pid } = await startServer()
    await sleep(500)
    const before = await rssMb(pid)
    const { Agent, request } = await import('node:http')
    const agent = new Agent({ keepAlive: true, maxSockets: 1000 })
    const streams: Array<{ destroy: () => void }> = []
    try {
      await Promise.all(
        Array.from(
          { length: 1000 },
          (_, i) =>
            new Promise<void>((resolve, reject) => {
              // EVENTS_MAX_PER_CLIENT counts per address: each stream comes from its own loopback address.
              const req = request(
                `${base}/events`,
                { agent, localAddress: `127.0.${Math.floor(i / 250) + 1}.${(i % 250) + 1}` },
                (response) => {
                  expect(response.statusCode).toBe(200)
                  response.resume()
                  resolve()
                },
              )
              req.on('error', reject)
              req.end()
              streams.push(req)
            }),
        ),
      )
      await sleep(1000)
      const during = await rssMb(pid)
      console.log(`RSS ${before.toFixed(0)} MB before, ${during.toFixed(0)} MB with 1000 open streams`)
      expect(during - before).toBeLessThan(50)
    } finally {
      for (const stream of streams) stream.destroy()
      agent.destroy()
    }
  })
})
