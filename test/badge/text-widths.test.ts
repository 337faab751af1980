import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BADGE_STYLES, badgeText, renderSvg } from '../../src/badge/render.js'

const ROOT = new URL('../..', import.meta.url).pathname

/** Runs `script` (an ES module) in a fresh Node with `input` on stdin; its stdout, parsed. */
function inFreshNode(script: string, input: unknown): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    input: JSON.stringify(input),
    encoding: 'utf8',
  })
  return JSON.parse(out)
}

const READ_STDIN = "const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'))"
const PRELUDE = `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${READ_STDIN};`

describe('badge-maker with its width tables read font by font', () => {
  it('draws every style byte for byte as badge-maker with its own anafanafo does', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('status', 'operational', 'Web Server EU', '99.95%', 'ﷺ', '日本語', '🟢 up', 'W'.repeat(40)),
    )
    const specs = fc.sample(fc.record({ label: text, message: text, style: fc.constantFrom(...BADGE_STYLES) }), {
      numRuns: 300,
      seed: 20261201,
    })
    const ours = specs.map((spec) => renderSvg({ ...spec, color: 'brightgreen' }))
    const theirs = inFreshNode(
      `${PRELUDE} const { makeBadge } = require('badge-maker');` +
        "process.stdout.write(JSON.stringify(input.map((s) => makeBadge({ ...s, color: 'brightgreen' }))))",
      specs.map(({ label, message, style }) => ({ label: badgeText(label), message: badgeText(message), style })),
    )
    expect(ours).toEqual(theirs)
  })

  it('reads only the table of the font a badge uses', () => {
    const loaded = inFreshNode(
      `${PRELUDE} const { renderSvg } = await import('./dist/badge/render.js');` +
        "renderSvg({ label: 'status', message: 'operational', color: 'green', style: input });" +
        "process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('anafanafo/data/')).map((f) => f.split('/').pop())))",
      'flat',
    )
    expect(loaded).toEqual(['verdana-11px-normal.json'])
  })
})
