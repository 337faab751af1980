// RSS of the built service at rest, over the simulator, with `npm start`'s
// flags, and optionally after its first PNGs:
//   node bench/idle-rss.mjs [root]            at rest (root: a built checkout, default .)
//   node bench/idle-rss.mjs [root] png        and after the first PNG, after 50 distinct ones (each twice)
//   PNG_FLOOD=4000 node bench/idle-rss.mjs    and after that many distinct PNGs, 32 at a time
//   REDIS_URL=redis://127.0.0.1:6379/0 node bench/idle-rss.mjs   a replica of that Redis's fleet
// Prints one JSON line of MB figures. Run `npm run build` (in root) first.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

const root = process.argv[2] ?? '.'
const png = process.argv[3] === 'png'
const floodSize = Number(process.env.PNG_FLOOD ?? 0)
const rss = (pid) => +(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024).toFixed(1)
const start = (args, env) =>
  spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })

const simulator = start(['dist/dev/simulate.js'], { SIMULATOR_PORT: '0', SIMULATOR_CYCLE_SECONDS: '0' })
const upstream = await new Promise((resolve) => {
  let text = ''
  simulator.stdout.on('data', (chunk) => {
    text += chunk
    const url = /at (http:\/\/\S+)/.exec(text)?.[1]
    if (url) resolve(url)
  })
})
const port = 30000 + Math.floor(Math.random() * 20000)
// `npm start`'s node flags, read from package.json.
const flags = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'))
  .scripts.start.split(' ')
  .slice(1, -1)
const server = start([...flags, 'dist/server.js'], {
  MONITOR_API_URL: upstream,
  MONITOR_API_KEY: 'demo-key',
  PORT: String(port),
  HOST: '127.0.0.1',
  ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }),
  PUBLIC_COMPONENTS: '*',
  LOG_LEVEL: 'warn',
})
server.stdout.resume()
const base = `http://127.0.0.1:${port}`
const get = async (path) => {
  const response = await fetch(base + path)
  await response.arrayBuffer()
  return response
}

try {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break
    await sleep(100)
  }
  for (const path of ['/badge.svg', '/badge.svg', '/uptime/badge.svg', '/badge.json', '/']) await get(path)
  await sleep(3000)
  const figures = { idle: rss(server.pid) }
  if (png || floodSize > 0) {
    await get('/badge.png')
    await sleep(3000)
    figures.afterFirstPng = rss(server.pid)
    for (let round = 0; round < 2; round++) for (let i = 0; i < 50; i++) await get(`/badge.png?label=l${i}`)
    await sleep(3000)
    figures.after50Pngs = rss(server.pid)
  }
  if (floodSize > 0) {
    let next = 0
    const worker = async () => {
      while (next < floodSize) {
        const n = next++
        const color = (n % 0xffffff).toString(16).padStart(6, '0')
        await get(
          `/components/${(n % 5) + 1}/badge.png?logo=github&logoColor=${color}&theme=${n % 2 ? 'dark' : 'light'}`,
        )
      }
    }
    await Promise.all(Array.from({ length: 32 }, worker))
    await sleep(1000)
    figures[`after${floodSize}Pngs`] = rss(server.pid)
  }
  console.log(JSON.stringify(figures))
} finally {
  server.kill('SIGTERM')
  simulator.kill('SIGTERM')
}
