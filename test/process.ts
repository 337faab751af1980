import { spawn, type ChildProcess } from 'node:child_process'
import { captured } from './helper.js'

export interface ServerProcess {
  readonly child: ChildProcess
  readonly output: string[]
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>
  /** Resolves with the listening URL, from the service's "Server listening at" line. */
  listening(): Promise<string>
}

/** fetch(), with the response's headers and body kept for the suite-wide key check. */
export async function fetchRecorded(url: string): Promise<Response> {
  const response = await fetch(url)
  const body = await response.text()
  captured.responses.push(JSON.stringify(Object.fromEntries(response.headers)), body)
  return new Response(body, { status: response.status, headers: response.headers })
}

/** Runs a shell command line (like an npm script) and collects its output for the leak check. */
export function startProcess(command: string, options: { cwd: string; env: Record<string, string> }): ServerProcess {
  const child = spawn('sh', ['-c', `exec ${command}`], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  const waiters: Array<() => void> = []
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line)
      captured.logs.push(line)
    }
    for (const wake of waiters.splice(0)) wake()
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown')
    })
  })

  async function listening(): Promise<string> {
    for (;;) {
      const line = output.find((l) => l.includes('Server listening at'))
      const url = line && /Server listening at (http:\/\/[^"\s]+)/.exec(line)?.[1]
      if (url) return url
      if (child.exitCode !== null) throw new Error(`exited early:\n${output.join('\n')}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 200)
      })
    }
  }

  return { child, output, exited, listening }
}
