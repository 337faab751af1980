import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONFIG_VARIABLES, loadConfig } from '../src/config.js'
import { SERVER_LIMITS } from '../src/http/limits.js'

const ROOT = resolve(import.meta.dirname, '..')
const read = (path: string) => readFile(resolve(ROOT, path), 'utf8')
/** The variables named in the first column of a Markdown table. */
const tableVariables = (markdown: string) => [...markdown.matchAll(/^\| `([A-Z_]+)`\s*\|/gm)].map((m) => m[1])

describe('the documentation matches the configuration', () => {
  it('.env.example lists every variable, with values config accepts', async () => {
    const example = await read('.env.example')
    const assignments = [...example.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? ''] as const)
    expect(assignments.map(([name]) => name).sort()).toEqual([...CONFIG_VARIABLES].sort())
    // The example's values, with a key filled in, are a valid configuration.
    const env = Object.fromEntries(assignments)
    expect(() => loadConfig({ ...env, MONITOR_API_KEY: 'example-key' })).not.toThrow()
  })

  it.each(['README.md', 'docs/operations.md'])('the configuration table of %s lists every variable', async (file) => {
    const documented = tableVariables(await read(file))
    expect(new Set(documented)).toEqual(new Set(CONFIG_VARIABLES))
  })
})

describe('the documentation matches the server limits', () => {
  it('docs/operations.md states each limit as src/http/limits.ts sets it', async () => {
    const doc = await read('docs/operations.md')
    const seconds = (ms: number) => `${ms / 1000} s`
    const rows: Array<[string, string]> = [
      ['`headersTimeout`', seconds(SERVER_LIMITS.headersTimeoutMs)],
      ['`requestTimeout`', seconds(SERVER_LIMITS.requestTimeoutMs)],
      ['`keepAliveTimeout`', seconds(SERVER_LIMITS.keepAliveTimeoutMs)],
      ['send timeout', seconds(SERVER_LIMITS.sendTimeoutMs)],
      ['connections', String(SERVER_LIMITS.maxConnections)],
      ['request head', `${SERVER_LIMITS.maxHeaderBytes / 1024} KiB`],
      ['finish at shutdown', seconds(SERVER_LIMITS.finishWithinMs)],
    ]
    for (const [limit, value] of rows) {
      expect(doc, limit).toMatch(new RegExp(`^\\| ${limit.replace(/[`]/g, '.')}\\s*\\| ${value}\\s*\\|`, 'm'))
    }
  })
})
