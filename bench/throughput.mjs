// Throughput of GET /badge.svg, side by side in one run, as ratios, and each
// server's own CPU time per request (steadier than req/s on a shared machine,
// where the load generator and the other tenants compete for the cores):
//   proxy               this service as shipped (LOG_LEVEL=info)
//   proxy-debug         the same with LOG_LEVEL=debug: one log line per request
//   proxy-no-metrics    (on request) the same with METRICS_ENABLED=false
//   render-per-request  a naive Fastify proxy calling badge-maker on every request
//   constant            Fastify sending a constant buffer: the ceiling
//   constant-headers    (on request) the ceiling with our headers and @fastify/caching
// Each server runs in its own process; rounds alternate between them so that
// noise on this shared machine spreads over all of them alike.
//   npm run bench [-- --seconds 5 --rounds 3 --connections 10]
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
  },
})
const VARIANTS = (process.env.VARIANTS ?? 'proxy,proxy-debug,render-per-request,constant').split(',')
const servers = {}
for (const variant of VARIANTS) {
  const child = fork(new URL('./server.mjs', import.meta.url), [variant], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    execArgv: ['--expose-gc'],
  })
  const [line] = await once(child.stdout, 'data')
  servers[variant] = { child, url: JSON.parse(String(line)).url, rps: [], cpu: [] }
}

/** The server's own CPU time (user + system, µs): its cost, whatever else the machine runs. */
async function cpuOf(child) {
  child.send('cpu')
  const [{ cpuMicros }] = await once(child, 'message')
  return cpuMicros
}

for (let round = 0; round < Number(values.rounds); round++) {
  for (const variant of VARIANTS) {
    const before = await cpuOf(servers[variant].child)
    const result = await autocannon({
      url: `${servers[variant].url}/badge.svg`,
      connections: Number(values.connections),
      duration: Number(values.seconds),
    })
    if (result.non2xx || result.errors) throw new Error(`${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`)
    servers[variant].rps.push(result.requests.average)
    servers[variant].cpu.push(((await cpuOf(servers[variant].child)) - before) / result.requests.total)
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ceiling = median(servers.constant.rps)
console.log(
  `GET /badge.svg, ${values.connections} connections, ${values.rounds} rounds of ${values.seconds} s, Node ${process.version}`,
)
console.log('variant               median req/s   vs constant   server CPU µs/request')
for (const variant of VARIANTS) {
  const rps = median(servers[variant].rps)
  const cpu = median(servers[variant].cpu)
  console.log(
    `${variant.padEnd(20)}  ${rps.toFixed(0).padStart(12)}   ${(rps / ceiling).toFixed(2).padStart(11)}   ${cpu.toFixed(1).padStart(21)}`,
  )
}
for (const variant of VARIANTS.filter((v) => v.startsWith('proxy'))) {
  servers[variant].child.send('memory')
  const [memory] = await once(servers[variant].child, 'message')
  console.log(
    `${variant} after the runs: heap ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB after GC, rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB`,
  )
}
for (const { child } of Object.values(servers)) child.kill()
