import { createKeyMatcher } from './key-forms.js'

/** What stands where the key was. */
export const REDACTED = '[redacted]'
/** The most characters of upstream text any response shows: longer than any real name or title. */
export const MAX_UNTRUSTED_CHARS = 200
/** The most characters of upstream text in a log line. */
export const MAX_LOG_CHARS = 200
/** How deep and how much of an upstream value is looked at to describe it in a log line. */
const LOG_DEPTH = 4
const LOG_SCAN_CHARS = 4096

/* eslint-disable no-control-regex -- control characters are what these remove */
/** Line breaks and tabs: a word boundary, kept as one space. */
const BREAKS = /[\u0009-\u000d\u0085\u2028\u2029]+/g
/** C0 and C1 controls (NUL included), bidirectional overrides and isolates, XML's noncharacters. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g
/** A UTF-16 half without its other half: not a character, and not valid in XML or UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]+/g
/* eslint-enable no-control-regex */

/**
 * The one way upstream text reaches the outside. Everything the upstream
 * says is untrusted: a monitor's name today, an incident's title tomorrow.
 * Made by the upstream client (the only holder of the key) and applied
 * when a payload is read, once per poll, never per request.
 */
export interface Untrusted {
  /**
   * Text fit for any response: controls and NUL gone (a line break becomes a
   * space), the key cut out in every spelling, at most 200 characters
   * (cut with "…"). May be "" (a name of nothing but controls).
   */
  text(value: string): string
  /** Whether the value holds the key in some spelling (an id cannot be cut, only refused). */
  holdsKey(value: string): boolean
  /** Any value the upstream sent, as one printable ASCII line of at most 200 characters, without the key. Never throws. */
  logText(value: unknown): string
}

function capped(text: string, max: number, ellipsis: string): string {
  if (text.length <= max) return text
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, max - ellipsis.length).join('')}${ellipsis}`
}

/**
 * A value as JSON-ish text, looked at no deeper than `depth` and no further
 * than `budget` characters: a payload nested half a million levels deep is
 * described in a few characters instead of overflowing the stack.
 */
function describe(value: unknown, depth: number, budget: number): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, budget))
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value !== 'object') return typeof value
  const array = Array.isArray(value)
  const [open, close] = array ? ['[', ']'] : ['{', '}']
  if (depth === 0) return `${open}...${close}`
  let out = open
  const add = (name: string | undefined, item: unknown): boolean => {
    if (out.length >= budget) return false
    if (out.length > open.length) out += ','
    if (name !== undefined) out += `${JSON.stringify(name.slice(0, budget))}:`
    out += describe(item, depth - 1, Math.max(0, budget - out.length))
    return true
  }
  if (array) {
    for (const item of value as readonly unknown[]) if (!add(undefined, item)) return `${out}...${close}`
  } else {
    for (const name in value) if (!add(name, (value as Record<string, unknown>)[name])) return `${out}...${close}`
  }
  return out + close
}

export function createUntrusted(key: string): Untrusted {
  const matcher = createKeyMatcher(key)

  return {
    text(value) {
      // Controls go first, so that a key spread around NULs is whole again when it is looked for.
      const visible = value.replace(LONE_SURROGATE, '').replace(BREAKS, ' ').replace(INVISIBLE, '').trim()
      // What can still show once cut at MAX_UNTRUSTED_CHARS (and the cut be seen): each
      // shown character is one of the text's, or a tenth of a "[redacted]" for a key.
      const limit = Math.min(
        visible.length,
        (MAX_UNTRUSTED_CHARS + 1) * (1 + matcher.longestSpelling / REDACTED.length),
      )
      return capped(
        matcher.redact(visible.slice(0, limit + matcher.longestSpelling), REDACTED, limit),
        MAX_UNTRUSTED_CHARS,
        '…',
      )
    },
    holdsKey: (value) => matcher.holds(value),
    logText(value) {
      try {
        const scan = LOG_SCAN_CHARS + matcher.longestSpelling
        const text = typeof value === 'string' ? value : describe(value, LOG_DEPTH, scan)
        const printable = text.replace(NOT_PRINTABLE_ASCII, ' ')
        // Only what starts within the first LOG_SCAN_CHARS is kept, but a key
        // spelled from there on is looked for whole: a cut must not leave half of one.
        const limit = Math.min(printable.length, LOG_SCAN_CHARS)
        return capped(matcher.redact(printable.slice(0, scan), REDACTED, limit), MAX_LOG_CHARS, '...')
      } catch {
        return '(unreadable)'
      }
    },
  }
}
