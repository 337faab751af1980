// Bare Fastify sending one prepared badge two ways, side by side, rounds
// alternating: through Fastify's reply (reply.headers(...).send(body)), and
// as the service's direct send does it (its flat header block to
// res.writeHead, the body to res.end, reply.hijack()). The server's own CPU
// time per request, from /proc; each in its own process.
//   npm run build && node bench/reply-vs-direct.mjs [-- --rounds 6 --seconds 4 --304]
// Needs wrk (Debian: apt-get install wrk).
import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs, promisify } from 'node:util'

const run = promisify(execFile)

if (process.argv[2] === 'serve') {
  const [, , , mode, port] = process.argv
  const { default: Fastify } = await import('fastify')
  const { represent } = await import('../dist/http/prepared.js')
  const { makeBadge } = await import('badge-maker')
  const rep = represent(
    {
      body: makeBadge({ label: 'status', message: 'operational', color: 'brightgreen' }),
      contentType: 'image/svg+xml; charset=utf-8',
      cacheControl: 'public, max-age=60, s-maxage=60',
      headers: {
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        'cross-origin-resource-policy': 'cross-origin',
        'x-content-type-options': 'nosniff',
      },
    },
    Date.now(),
  )
  const app = Fastify()
  app.get('/badge.svg', (request, reply) => {
    const notModified = request.headers['if-none-match'] === rep.validators.etag
    if (mode === 'reply')
      return notModified ? reply.code(304).headers(rep.headers).send() : reply.headers(rep.headers).send(rep.body)
    const res = reply.raw
    if (notModified) {
      res.writeHead(304, rep.wire.notModified)
      res.end()
    } else {
      res.writeHead(200, rep.wire.ok)
      res.end(rep.body)
    }
    return reply.hijack()
  })
  await app.listen({ host: '127.0.0.1', port: Number(port) })
  process.stdout.write(`${rep.validators.etag}\n`)
  process.on('SIGTERM', () => process.exit(0))
} else {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '6' },
      seconds: { type: 'string', default: '4' },
      304: { type: 'boolean', default: false },
    },
  })
  const servers = await Promise.all(
    ['reply', 'direct'].map(async (mode, i) => {
      const port = 4890 + i
      const child = spawn(process.execPath, [new URL(import.meta.url).pathname, 'serve', mode, String(port)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const etag = await new Promise((resolve) => child.stdout.once('data', (chunk) => resolve(String(chunk).trim())))
      return { mode, child, port, etag }
    }),
  )
  const cpu = (pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  }
  const results = { reply: [], direct: [] }
  // Round 0 warms both up and is not counted.
  for (let round = 0; round <= Number(values.rounds); round++) {
    for (const { mode, child, port, etag } of servers) {
      const headers = values['304'] ? ['-H', `If-None-Match: ${etag}`] : []
      const before = cpu(child.pid)
      const { stdout } = await run('wrk', [
        '-t1',
        '-c50',
        `-d${values.seconds}s`,
        ...headers,
        `http://127.0.0.1:${port}/badge.svg`,
      ])
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1])
      if (round > 0) results[mode].push((cpu(child.pid) - before) / requests)
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  console.log(
    `CPU µs per request, ${values['304'] ? '304' : '200'}, ${values.rounds} rounds of ${values.seconds} s, wrk -t1 -c50`,
  )
  for (const [mode, xs] of Object.entries(results))
    console.log(`${mode.padEnd(7)} median ${median(xs).toFixed(1)}   rounds ${xs.map((x) => x.toFixed(1)).join(' ')}`)
  for (const { child } of servers) child.kill('SIGTERM')
  await sleep(100)
}
