import { readFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { TEST_API_KEY } from '../helper.js'
import { startProcess, type ServerProcess } from '../process.js'

/**
 * README "Memory": the RSS no flood, mix or non-reading client may take the
 * service's process past. 160 MB until the direct send (issue 9) made the
 * service answer the hostile mix faster; its peaks went to 152-160 MB.
 */
export const RSS_BOUND_MB = 176

/**
 * The service as `npm start` runs it (its node flags are part of the
 * bounds), over `upstreamUrl`, every monitor public; resolves once it has
 * drawn its first badge.
 */
export async function startService(upstreamUrl: string): Promise<{ server: ServerProcess; base: string; pid: number }> {
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
  const server = startProcess(pkg.scripts.start ?? '', {
    cwd: process.cwd(),
    env: {
      MONITOR_API_KEY: TEST_API_KEY,
      MONITOR_API_URL: upstreamUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_COMPONENTS: '*',
      LOG_LEVEL: 'info',
    },
  })
  const base = await server.listening()
  await get(base, '/badge.svg')
  return { server, base, pid: server.child.pid ?? 0 }
}

/** Resident memory of a process, in MB, from /proc (Linux). */
export async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024
}

export interface Timed {
  readonly statusCode: number
  readonly ms: number
}

/** GETs over keep-alive sockets of one agent, `concurrency` at a time: a flood of URLs. */
export async function flood(
  base: string,
  urls: (i: number) => { path: string; headers?: Record<string, string> },
  count: number,
  concurrency = 32,
): Promise<{ statuses: Map<number, number> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const statuses = new Map<number, number>()
  let next = 0
  const worker = async () => {
    while (next < count) {
      const { path, headers } = urls(next++)
      const { statusCode } = await get(base, path, headers, agent)
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1)
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, worker))
  } finally {
    agent.destroy()
  }
  return { statuses }
}

/** One GET, its body read and dropped, timed. */
export function get(base: string, path: string, headers: Record<string, string> = {}, agent?: Agent): Promise<Timed> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers, ...(agent && { agent }) }, (res) => {
      res.resume()
      res.on('end', () => {
        resolve({ statusCode: res.statusCode ?? 0, ms: performance.now() - started })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}
