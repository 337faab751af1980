import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createKeyMatcher } from '../../src/upstream/key-forms.js'
import { createUntrusted, MAX_LOG_CHARS, MAX_UNTRUSTED_CHARS, REDACTED } from '../../src/upstream/untrusted.js'
import { TEST_API_KEY } from '../helper.js'
import { keyDecodedIn, keyIn, keySpellings, mixedSpelling } from '../key.js'

const untrusted = createUntrusted(TEST_API_KEY)
/** Generated cases per property: thousands in all, a few seconds on a shared machine. */
const RUNS = { numRuns: 1500, interruptAfterTimeLimit: 8_000, markInterruptAsFailure: false }

// eslint-disable-next-line no-control-regex -- what must never be left
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Any text: every code unit, controls, NULs and lone surrogates included. */
const anyText = fc.string({ unit: 'binary', maxLength: 300 })
const rawText = fc.oneof(
  anyText,
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
)

describe('the key matcher', () => {
  const matcher = createKeyMatcher(TEST_API_KEY)

  it('finds every spelling an encoder of HTML, JSON or URLs gives the key', () => {
    for (const spelling of keySpellings(TEST_API_KEY)) {
      expect(matcher.holds(`before ${spelling} after`), spelling).toBe(true)
      expect(matcher.redact(`a${spelling}b`, '#'), spelling).toBe('a#b')
    }
  })

  it('finds the spellings the review found in log lines', () => {
    const key = 'Key{^}AB'
    const own = createKeyMatcher(key)
    // A redirect's host, lowercased by the URL parser; a Location path percent-encoded by it; a JSON error body.
    for (const seen of ['https://key{^}ab.example/', '/login/Key%7B%5E%7DAB', '/login/Key%7b%5e%7dAB', 'Key{^}AB']) {
      expect(own.holds(seen), seen).toBe(true)
    }
    expect(createKeyMatcher('a"b\\c').holds(JSON.stringify({ error: 'a"b\\c' }))).toBe(true)
  })

  it('finds the key spelled any mixture of ways, and cuts out exactly it', () => {
    fc.assert(
      fc.property(anyText, mixedSpelling(TEST_API_KEY), anyText, (before, spelling, after) => {
        const text = `${before}${spelling}${after}`
        expect(matcher.holds(text)).toBe(true)
        const redacted = matcher.redact(text, '\u0001')
        expect(redacted).not.toContain(spelling)
        expect(keyIn(redacted, TEST_API_KEY)).toEqual([])
        // The test's own decoder (one decoding per position, so some mixtures escape it) finds nothing left.
        expect(keyDecodedIn(redacted, TEST_API_KEY)).toBe(false)
      }),
      RUNS,
    )
  })

  it('leaves text without the key alone', () => {
    fc.assert(
      fc.property(rawText, (text) => {
        fc.pre(!text.toLowerCase().includes('leakcanary'))
        expect(matcher.redact(text, '#')).toBe(text)
      }),
      RUNS,
    )
  })

  it('stays fast on text made of what begins an escape, and on a key made of it', () => {
    const noise = '%&\\/&amp;%25\\u00'.repeat(64 * 1024)
    let started = performance.now()
    expect(matcher.holds(noise)).toBe(false)
    const noiseMs = performance.now() - started
    // Every "\\" of such a key can be one or two of the text's: the ends are a set, never a tree.
    const key = '\\'.repeat(24) + '%'.repeat(8) + '&'.repeat(8)
    const text = `${'\\\\'.repeat(24)}${'%25'.repeat(8)}${'&amp;'.repeat(7)}x`.repeat(50)
    started = performance.now()
    expect(createKeyMatcher(key).holds(text)).toBe(false)
    const ambiguousMs = performance.now() - started
    console.log(`1 MiB of escape noise: ${noiseMs.toFixed(0)} ms; ambiguous key: ${ambiguousMs.toFixed(0)} ms`)
    expect(noiseMs).toBeLessThan(3_000)
    expect(ambiguousMs).toBeLessThan(3_000)
  })
})

describe('upstream text bound for a response', () => {
  it('has no control character, no NUL, no lone surrogate, and at most 200 characters', () => {
    fc.assert(
      fc.property(rawText, fc.nat(3), (text, times) => {
        const clean = untrusted.text(text.repeat(times + 1))
        expect(clean).not.toMatch(CONTROLS)
        expect(clean).not.toMatch(LONE_SURROGATE)
        expect(Array.from(clean).length).toBeLessThanOrEqual(MAX_UNTRUSTED_CHARS)
        expect(untrusted.text(clean)).toBe(clean)
      }),
      RUNS,
    )
  })

  it('never holds the key, however it was spelled or split by controls', () => {
    const spread = fc.tuple(mixedSpelling(TEST_API_KEY), fc.array(fc.nat(), { maxLength: 4 })).map(([spelling, cuts]) =>
      cuts.reduce((s, cut) => {
        const at = cut % (s.length + 1)
        return `${s.slice(0, at)}\u0000${s.slice(at)}`
      }, spelling),
    )
    fc.assert(
      fc.property(fc.string({ maxLength: 150 }), spread, fc.string({ maxLength: 150 }), (before, key, after) => {
        const clean = untrusted.text(`${before}${key}${after}`)
        expect(keyIn(clean, TEST_API_KEY)).toEqual([])
        expect(clean.includes(REDACTED) || Array.from(clean).length === MAX_UNTRUSTED_CHARS).toBe(true)
      }),
      RUNS,
    )
  })

  it('keeps a real name as it is, and turns line breaks into spaces', () => {
    expect(untrusted.text('Web Server (eu-west) — API ✓')).toBe('Web Server (eu-west) — API ✓')
    expect(untrusted.text('Web\r\nServer\tEU')).toBe('Web Server EU')
    expect(untrusted.text('We\u0000b\u202e Server\u0007')).toBe('Web Server')
    expect(untrusted.text('x'.repeat(300))).toBe(`${'x'.repeat(199)}…`)
    expect(untrusted.text('👍'.repeat(250))).toBe(`${'👍'.repeat(199)}…`)
  })

  it('reads no further into a long text than can show, key or no key', () => {
    const spelled = encodeURIComponent(TEST_API_KEY)
    expect(untrusted.text(`${spelled} `.repeat(100_000))).toBe(`${'[redacted] '.repeat(18)}[…`)
    const started = performance.now()
    expect(untrusted.text('%'.repeat(1024 * 1024))).toBe(`${'%'.repeat(199)}…`)
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})

describe('upstream text bound for a log line', () => {
  it('never throws, is one printable ASCII line of at most 200 characters, and never holds the key', () => {
    const withKey = fc.oneof(
      fc.anything(),
      mixedSpelling(TEST_API_KEY),
      fc.tuple(fc.anything(), mixedSpelling(TEST_API_KEY)).map(([value, key]) => ({ value, error: [key, { key }] })),
    )
    fc.assert(
      fc.property(withKey, (value) => {
        const line = untrusted.logText(value)
        expect(line).toMatch(/^[\x20-\x7e]*$/)
        expect(Array.from(line).length).toBeLessThanOrEqual(MAX_LOG_CHARS)
        expect(keyIn(line, TEST_API_KEY)).toEqual([])
      }),
      RUNS,
    )
  })

  it('describes a value nested half a million levels deep in a few characters', () => {
    let deep: unknown = TEST_API_KEY
    for (let i = 0; i < 500_000; i++) deep = [deep]
    expect(untrusted.logText({ success: false, error: deep })).toBe('{"success":false,"error":[[[[...]]]]}')
  })

  it('cuts a long text short of a key it would leave half-spelled', () => {
    for (let pad = 4000; pad < 4200; pad += 7) {
      const spelled = encodeURIComponent(TEST_API_KEY)
      const text = `${'x'.repeat(pad)}${spelled}${'y'.repeat(5000)}`
      expect(keyIn(untrusted.logText(text), TEST_API_KEY)).toEqual([])
      // And a long JSON value the same way, its strings escaped by the description.
      expect(keyIn(untrusted.logText({ pad: 'x'.repeat(pad), key: TEST_API_KEY }), TEST_API_KEY)).toEqual([])
    }
  })

  it('keeps an ordinary message readable', () => {
    expect(untrusted.logText('Invalid API key')).toBe('Invalid API key')
    expect(untrusted.logText({ code: 42, detail: 'quota' })).toBe('{"code":42,"detail":"quota"}')
    expect(untrusted.logText(`key ${TEST_API_KEY} revoked`)).toBe('key [redacted] revoked')
  })
})
