import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from '../../src/dev/simulator.js'
import { captured, startTestUpstream, TEST_API_KEY } from '../helper.js'
import { svgFacts } from '../svg.js'

/**
 * The real Dockerfile, built with buildah against stand-in base images and
 * run (../shared/tools/container): no Docker engine runs on these machines.
 * `npm run test:container`; the first build makes the stand-in base (minutes).
 */
const ROOT = resolve(import.meta.dirname, '../..')
const TOOLS = [process.env.CONTAINER_TOOLS, resolve(ROOT, '../shared/tools/container'), '/work/shared/tools/container']
  .filter((dir): dir is string => dir !== undefined)
  .find((dir) => existsSync(resolve(dir, 'build')))
const IMAGE = 'localhost/status-badge-proxy:test'

if (!TOOLS) throw new Error('container tools not found: set CONTAINER_TOOLS to the folder of build, run and health')
const tool = (name: string) => resolve(TOOLS, name)

interface Run {
  readonly output: string[]
  readonly exited: Promise<number | null>
  kill(signal: NodeJS.Signals): void
}

function start(command: string, args: string[]): Run {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const output: string[] = []
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line)
      captured.logs.push(line)
    }
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise<number | null>((done) => {
    child.on('exit', (code) => {
      done(code)
    })
  })
  return { output, exited, kill: (signal) => child.kill(signal) }
}

async function finish(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const run = start(command, args)
  const code = await run.exited
  return { code, output: run.output.join('\n') }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise((done) => server.close(done))
  return typeof address === 'object' && address ? address.port : 0
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

let upstream: Simulator
let port: number
let container: Run
let env: string[]

beforeAll(async () => {
  const build = await finish(tool('build'), ['-t', IMAGE])
  expect(build.code, build.output.slice(-3000)).toBe(0)
  upstream = await startTestUpstream()
  port = await freePort()
  env = ['-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1']
  container = start(tool('run'), [
    '-e',
    `MONITOR_API_KEY=${TEST_API_KEY}`,
    '-e',
    `MONITOR_API_URL=${upstream.url}`,
    '-e',
    'SHUTDOWN_DRAIN_SECONDS=1',
    ...env,
    IMAGE,
  ])
  await until(
    async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined),
    60_000,
    'the container to be ready',
  )
}, 900_000)

afterAll(async () => {
  // Normally gone already (the last test stops it); if a test failed first, stop it the way it stops.
  container.kill('SIGTERM')
  await Promise.race([container.exited, new Promise((r) => setTimeout(r, 10_000))])
  container.kill('SIGKILL')
  await upstream.close()
})

describe('the container image', () => {
  it('is built as the issue asks: non-root, node as the command, a health check, a port', async () => {
    const { code, output } = await finish(tool('facts'), [IMAGE])
    expect(code).toBe(0)
    expect(output).toMatch(/^user:\s+node$/m)
    // The same command as `npm start`, its node flags included.
    const pkg = JSON.parse(await readFile(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
      scripts: { start: string }
    }
    const command = pkg.scripts.start
      .split(' ')
      .map((part) => JSON.stringify(part))
      .join(', ')
    expect(output).toMatch(new RegExp(`^cmd:\\s+\\[${command.replace(/[.[\]]/g, '\\$&')}\\]$`, 'm'))
    expect(output).toMatch(/^healthcheck:\s+\["CMD", "node", "-e", /m)
    expect(output).toMatch(/^ports:\s+3000\/tcp$/m)
    expect(output).toMatch(/^env names:.*\bNODE_ENV\b/m)
  })

  it('runs as a non-root user', async () => {
    const { code, output } = await finish(tool('run'), [IMAGE, '--', 'id', '-u'])
    expect(code).toBe(0)
    expect(output.trim().split('\n').at(-1)).toBe('1000')
  })

  it('holds the compiled output and production dependencies only', async () => {
    const check = [
      'test -f dist/server.js',
      'test -d node_modules/fastify',
      'test ! -e src',
      'test ! -e test',
      'test ! -e tsconfig.json',
      'test ! -e .env',
      'test ! -e node_modules/typescript',
      'test ! -e node_modules/vitest',
      'test ! -e node_modules/playwright-core',
      'test -z "$(find dist -name "*.ts")"',
    ].join(' && ')
    const { code, output } = await finish(tool('run'), [IMAGE, '--', 'sh', '-c', check])
    expect(code, output).toBe(0)
  })

  it('serves the badge and the JSON against the simulated upstream', async () => {
    const svg = await fetch(`http://127.0.0.1:${port}/badge.svg`)
    expect(svg.status).toBe(200)
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8')
    expect(svgFacts(await svg.text()).texts).toEqual(['status', 'operational'])
    const json = await fetch(`http://127.0.0.1:${port}/badge.json`)
    expect(await json.json()).toMatchObject({ status: 'operational', stale: false })
    expect(upstream.requests.some((r) => r.headers['x-api-key'] === TEST_API_KEY)).toBe(true)
  })

  it("passes the image's HEALTHCHECK", async () => {
    const { code, output } = await finish(tool('health'), [...env, IMAGE])
    expect(code, output).toBe(0)
  })

  it('stops on SIGTERM with exit 0 within a few seconds', async () => {
    const started = Date.now()
    container.kill('SIGTERM')
    expect(await container.exited).toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(container.output.join('\n')).toContain('closing: finishing requests in flight')
  })
})
