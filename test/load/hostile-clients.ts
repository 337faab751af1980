/**
 * Hostile clients, in a process of their own so that their work does not
 * sit on the event loop of whoever measures the service: `node
 * test/load/hostile-clients.ts '<json options>'` (Node strips the types).
 * Runs for `durationMs`, then prints one JSON line with what it saw.
 *   flood         keep-alive connections asking for distinct URLs: labels, component ids, unknown paths, and
 *                 landing pages for long invented Hosts
 *   documents     connections asking for /components.json (a large fleet) again and again
 *   slowReaders   connections that pipeline large answers and never read (dropped by the send timeout, then back)
 *   halfSenders   connections that send half a request head and wait (dropped by the headers timeout, then back)
 * Loopback only: the base URL is the service under test.
 */
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'

interface Options {
  readonly base: string
  readonly durationMs: number
  readonly flood: number
  readonly documents: number
  readonly slowReaders: number
  readonly halfSenders: number
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options
const url = new URL(options.base)
if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error('loopback only')
const port = Number(url.port)
const until = Date.now() + options.durationMs
const statuses: Record<string, number> = {}
const reconnects = { slowReaders: 0, halfSenders: 0 }
let requests = 0
let n = 0

const longHost = (i: number) => `h${i}.${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.example`

/** A distinct URL each time, a quarter of each kind. */
function next(): { path: string; host?: string } {
  const i = n++
  switch (i % 4) {
    case 0:
      return { path: `/badge.svg?label=${i}-${'x'.repeat(40)}&style=flat-square` }
    case 1:
      return { path: '/', host: longHost(i) }
    case 2:
      return { path: `/components/${i % 20_000}/badge.svg?color=${(i % 4096).toString(16).padStart(3, '0')}` }
    default:
      return { path: `/no/such/${i}/badge.svg` }
  }
}

function get(agent: Agent, path: string, host?: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: host ? { host } : {} }, (res) => {
      const key = String(res.statusCode)
      statuses[key] = (statuses[key] ?? 0) + 1
      requests++
      res.resume()
      res.on('end', resolve)
      res.on('error', () => {
        resolve()
      })
    })
    req.on('error', () => {
      statuses.error = (statuses.error ?? 0) + 1
      resolve()
    })
    req.end()
  })
}

async function floodWorker(agent: Agent): Promise<void> {
  while (Date.now() < until) {
    const { path, host } = next()
    await get(agent, path, host)
  }
}

async function documentsWorker(agent: Agent): Promise<void> {
  while (Date.now() < until) await get(agent, '/components.json')
}

/** Keeps `count` sockets of a kind open, opening a new one whenever the server drops one. */
function keepOpen(count: number, head: string, paused: boolean, counter: keyof typeof reconnects): Socket[] {
  const sockets: Socket[] = []
  const open = () => {
    if (Date.now() >= until) return
    const socket = connect(port, '127.0.0.1')
    socket.on('error', () => undefined)
    socket.on('close', () => {
      if (Date.now() < until) {
        reconnects[counter]++
        setTimeout(open, 50)
      }
    })
    if (paused) socket.pause()
    else socket.resume()
    socket.write(head)
    sockets.push(socket)
  }
  for (let i = 0; i < count; i++) open()
  return sockets
}

const agent = new Agent({ keepAlive: true, maxSockets: options.flood + options.documents })
const slow = keepOpen(
  options.slowReaders,
  'GET /components.json HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(60),
  true,
  'slowReaders',
)
const half = keepOpen(options.halfSenders, 'GET /badge.svg HTTP/1.1\r\nHost: x\r\nX-Pad: ', false, 'halfSenders')
await Promise.all([
  ...Array.from({ length: options.flood }, () => floodWorker(agent)),
  ...Array.from({ length: options.documents }, () => documentsWorker(agent)),
])
agent.destroy()
for (const socket of [...slow, ...half]) socket.destroy()
process.stdout.write(`${JSON.stringify({ requests, statuses, reconnects })}\n`)
