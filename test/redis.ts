import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A redis-server of the test's own, on a free loopback port, in a temp dir; nothing else is touched. */
export interface TestRedis {
  readonly port: number
  /** redis://127.0.0.1:<port>/0, with the password when there is one. */
  readonly url: string
  /** The running server's process id (undefined while stopped). */
  pid(): number | undefined
  /** Stops the server (SIGTERM, by its PID) and waits for it to exit. */
  stop(): Promise<void>
  /** Starts it again on the same port, empty (no persistence). */
  start(): Promise<void>
  /** Stops the server for good and removes its directory. */
  dispose(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0)
      })
    })
  })
}

/** Whether a server answers PING (with AUTH first when there is a password). */
async function answers(port: number, password: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => {
      done(false)
    })
    socket.on('error', () => {
      done(false)
    })
    socket.on('connect', () => {
      socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\n`)
    })
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      if (reply.includes('+PONG')) done(true)
      else if (reply.includes('-')) done(false)
    })
  })
}

export async function startRedis(options: { password?: string } = {}): Promise<TestRedis> {
  const port = await freePort()
  const dir = await mkdtemp(join(tmpdir(), 'badge-proxy-redis-'))
  let child: ChildProcess | undefined
  let exited: Promise<void> | undefined

  async function start() {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]
    if (options.password) args.push('--requirepass', options.password)
    const started = spawn('redis-server', args, { stdio: 'ignore' })
    child = started
    exited = new Promise((resolve) => {
      started.once('exit', () => {
        resolve()
      })
    })
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await answers(port, options.password)) return
      if (started.exitCode !== null) throw new Error(`redis-server exited (${started.exitCode}) on port ${port}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`redis-server did not answer on port ${port}`)
  }

  async function stop() {
    const running = child
    if (!running?.pid || running.exitCode !== null) return
    process.kill(running.pid, 'SIGTERM')
    await exited
    child = undefined
  }

  await start()
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : ''
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}/0`,
    pid: () => (child && child.exitCode === null ? child.pid : undefined),
    stop,
    start,
    async dispose() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
