import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONFIG_VARIABLES, loadConfig } from '../src/config.js'

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
