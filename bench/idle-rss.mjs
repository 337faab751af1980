// The RSS of an idle replica, 4 s after start, as `npm start` runs it
// (median of 5 starts), against the simulated upstream. With REDIS_URL set
// in the environment, the replica joins that Redis's fleet (README, "Several
// replicas, one poller"): the figure then includes the Redis client.
//   npm run build && node bench/idle-rss.mjs
//   REDIS_URL=redis://127.0.0.1:6379/0 node bench/idle-rss.mjs
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { startSimulator } from '../dist/dev/simulator.js'

const KEY = 'bench-idle-rss-key'
const root = new URL('..', import.meta.url).pathname
const upstream = await startSimulator({ apiKey: KEY, scenario: 'operational' })
const figures = []
for (let run = 0; run < 5; run++) {
  const child = spawn(process.execPath, ['--max-semi-space-size=16', 'dist/server.js'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      MONITOR_API_KEY: KEY,
      MONITOR_API_URL: upstream.url,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }),
    },
    stdio: 'ignore',
  })
  await sleep(4_000)
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
  figures.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024)
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))
}
await upstream.close()
figures.sort((a, b) => a - b)
console.log(
  `idle RSS${process.env.REDIS_URL ? ' with REDIS_URL' : ''}: median ${figures[2].toFixed(1)} MB`,
  `(${figures.map((mb) => mb.toFixed(1)).join(', ')})`,
)
