// The hot path side by side in one run, as ratios to bare Fastify sending
// the same bytes with the same headers (bench/bare.mjs: the framework's limit
// for each answer). Every server is its own process; rounds alternate between
// them, the order turning by one each round, so that the noise of a shared
// machine falls on all alike. For each
// server and path: requests per second, p50 and p99 latency (wrk's), and the
// server's own CPU time per request (from /proc: steadier than req/s, since
// the load generator and other tenants share the cores). "CPU vs bare" is the
// median of the rounds' ratios, each round's servers having run back to back.
//   npm run bench [-- --seconds 5 --rounds 3 --connections 50 --warmup 2]
//   VARIANTS=service,bare,...   which servers (default: service,bare)
//     service             the service as `npm start` runs it (LOG_LEVEL=info)
//     service-no-metrics  the same with METRICS_ENABLED=false
//     service-debug       the same with LOG_LEVEL=debug: a log line per request
//     service-v8-default  the same without `npm start`'s node flags
//     service-no-gc       the same without --expose-gc and --min-semi-space-size: no memory given back at rest
//     bare                bare Fastify, the service's answers copied byte for byte, headers included
//     bare-twin           a second bare server: its "vs bare" is what the machine's noise alone gives
// Paths: /badge.svg, /badge.svg answered 304 (If-None-Match), /badge.json.
// Needs wrk (Debian: apt-get install wrk).
import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs, promisify } from 'node:util'
import { startSimulator } from '../dist/dev/simulator.js'

const run = promisify(execFile)
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
  },
})
const VARIANTS = (process.env.VARIANTS ?? 'service,bare').split(',')
const ROOT = new URL('..', import.meta.url).pathname
const START = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start.split(' ')
const KEY = 'bench-key'
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

const simulator = await startSimulator({ apiKey: KEY })
const children = []

function spawnServer(args, env) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  return child
}

/** The service as `npm start` runs it, on a free port; resolves with its URL once its first poll is done. */
async function startService(variant) {
  const flags =
    variant === 'service-v8-default'
      ? []
      : variant === 'service-no-gc'
        ? START.slice(1, -1).filter((flag) => flag !== '--expose-gc' && !flag.startsWith('--min-semi-space-size'))
        : START.slice(1, -1)
  const child = spawnServer([...flags, 'dist/server.js'], {
    MONITOR_API_KEY: KEY,
    MONITOR_API_URL: simulator.url,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: variant === 'service-debug' ? 'debug' : 'info',
    METRICS_ENABLED: variant === 'service-no-metrics' ? 'false' : 'true',
  })
  let output = ''
  child.stdout.on('data', (chunk) => {
    output += chunk
  })
  for (;;) {
    const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
    if (url && (await fetch(`${url}/readyz`)).ok) {
      // Logs go nowhere from here on: this measures the logging work, not a pipe.
      child.stdout.removeAllListeners('data')
      child.stdout.resume()
      return { child, url }
    }
    if (child.exitCode !== null) throw new Error(`${variant} exited:\n${output}`)
    await sleep(100)
  }
}

/** An answer of the service, copied for bare Fastify: its body and the headers the service chose. */
async function copyAnswer(base, path) {
  const response = await fetch(`${base}${path}`)
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !HOP_BY_HOP.has(name)))
  return { path, body: await response.text(), headers }
}

async function startBare(answers) {
  const child = spawnServer(['bench/bare.mjs'], { BARE_ANSWERS: JSON.stringify(answers) })
  const [line] = await new Promise((resolve) => child.stdout.once('data', (chunk) => resolve([String(chunk)])))
  return { child, url: JSON.parse(line).url }
}

/** The process's own CPU time, in µs (utime + stime from /proc; clock ticks of 10 ms). */
function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

function rssMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024
}

function ms(text) {
  const [, n, unit] = /([\d.]+)(us|ms|s)/.exec(text) ?? []
  return Number(n) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1)
}

async function wrk(url, headers, seconds = values.seconds) {
  const args = ['-t1', `-c${values.connections}`, `-d${seconds}s`, '--latency']
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`)
  const { stdout } = await run('wrk', [...args, url])
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1]
  if (non2xx) throw new Error(`${url}: ${non2xx} answers were not 2xx/3xx`)
  return {
    requests: Number(/(\d+) requests in/.exec(stdout)?.[1]),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]),
    p50: ms(/ 50%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
    p99: ms(/ 99%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
  }
}

const servers = {}
for (const variant of VARIANTS.filter((v) => v.startsWith('service'))) servers[variant] = await startService(variant)
const reference = servers.service ?? Object.values(servers)[0]
if (!reference) throw new Error('VARIANTS needs a service variant: bare copies its answers')
const svg = await copyAnswer(reference.url, '/badge.svg')
const json = await copyAnswer(reference.url, '/badge.json')
if (VARIANTS.includes('bare')) servers.bare = await startBare([svg, json])
if (VARIANTS.includes('bare-twin')) servers['bare-twin'] = await startBare([svg, json])

const PATHS = [
  { name: '/badge.svg', path: '/badge.svg', headers: {} },
  { name: '/badge.svg 304', path: '/badge.svg', headers: { 'If-None-Match': svg.headers.etag } },
  { name: '/badge.json', path: '/badge.json', headers: {} },
]

// Every server answers each path once before its idle memory is read, so
// that all of them are measured in the same state (the service has just
// answered the copies above).
for (const { url } of Object.values(servers)) {
  for (const { path } of PATHS) await (await fetch(`${url}${path}`)).arrayBuffer()
}
await sleep(2000)
const idle = Object.fromEntries(Object.entries(servers).map(([name, { child }]) => [name, rssMb(child.pid)]))
// Warm-up, not counted: every server answers every path under load for a moment first, so that no
// round measures a server whose hot functions are not compiled yet.
if (Number(values.warmup) > 0) {
  for (const { path, headers } of PATHS) {
    for (const { url } of Object.values(servers)) await wrk(`${url}${path}`, headers, values.warmup)
  }
}
const results = {}
for (let round = 0; round < Number(values.rounds); round++) {
  // The order turns by one server each round: whatever a place in it gains or loses, each server gains or loses as often.
  const entries = Object.entries(servers)
  const order = entries.map((_, i) => entries[(i + round) % entries.length])
  for (const { name, path, headers } of PATHS) {
    for (const [variant, { child, url }] of order) {
      const before = cpuMicros(child.pid)
      const result = await wrk(`${url}${path}`, headers)
      const cpu = (cpuMicros(child.pid) - before) / result.requests
      ;((results[name] ??= {})[variant] ??= []).push({ ...result, cpu })
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(
  `wrk -t1 -c${values.connections}, ${values.rounds} rounds of ${values.seconds} s, Node ${process.version}, ${new Date().toISOString()}`,
)
console.log(
  'path             server                req/s   p50 ms   p99 ms   CPU µs/req   CPU vs bare   p99 vs bare   CPU vs bare, each round',
)
for (const [name, byVariant] of Object.entries(results)) {
  const bare = byVariant.bare
  for (const [variant, runs] of Object.entries(byVariant)) {
    const cpu = median(runs.map((r) => r.cpu))
    const p99 = median(runs.map((r) => r.p99))
    // Each round's service and bare ran one after the other: their ratio, round by round, is what the
    // machine's drift disturbs least. The median of those ratios, and each of them.
    const ratios = bare ? runs.map((r, i) => r.cpu / bare[i].cpu) : []
    const vsCpu = bare ? median(ratios).toFixed(2) : '-'
    const vsP99 = bare ? (p99 / median(bare.map((r) => r.p99))).toFixed(2) : '-'
    console.log(
      `${name.padEnd(16)} ${variant.padEnd(18)} ${median(runs.map((r) => r.rps))
        .toFixed(0)
        .padStart(8)} ${median(runs.map((r) => r.p50))
        .toFixed(2)
        .padStart(
          8,
        )} ${p99.toFixed(2).padStart(8)} ${cpu.toFixed(1).padStart(12)} ${vsCpu.padStart(13)} ${vsP99.padStart(13)}   ${variant === 'bare' ? '' : ratios.map((r) => r.toFixed(2)).join(' ')}`,
    )
  }
}
console.log('\nRSS, MB (VmRSS)    idle   after the runs   idle vs bare')
for (const [variant, { child }] of Object.entries(servers)) {
  const ratio = idle.bare ? (idle[variant] / idle.bare).toFixed(2) : '-'
  console.log(
    `${variant.padEnd(18)} ${idle[variant].toFixed(0).padStart(6)} ${rssMb(child.pid).toFixed(0).padStart(16)} ${ratio.padStart(14)}`,
  )
}
for (const child of children) child.kill('SIGTERM')
await simulator.close()
