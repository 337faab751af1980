/**
 * Finds the API key in text whatever form it has taken on the way: each of
 * its characters as itself in either case (a URL parser lowercases a host),
 * percent-encoded with either case of hex (%7B, %7b), JSON- or
 * JavaScript-escaped (\", \\, \/, \u007b, \x7b), or as an HTML character
 * reference (&quot;, &#34;, &#x22;, &#x00022;), in any mixture (a URL
 * normaliser encodes some characters and leaves others alone), and one
 * escape inside another (\&quot; is JSON then HTML, %2522 is encoded twice).
 *
 * Matching simulates the alternatives of every key character side by side
 * (a set of end positions per step) instead of a backtracking regular
 * expression, so a key of repeated "\" or "%" cannot make it exponential.
 */

/** HTML5's named references for the ASCII characters a key may hold (compared ignoring case). */
const NAMED_REFERENCES: Readonly<Record<string, readonly string[]>> = {
  '!': ['excl'],
  '"': ['quot'],
  '#': ['num'],
  $: ['dollar'],
  '%': ['percnt'],
  '&': ['amp'],
  "'": ['apos'],
  '(': ['lpar'],
  ')': ['rpar'],
  '*': ['ast', 'midast'],
  '+': ['plus'],
  ',': ['comma'],
  '.': ['period'],
  '/': ['sol'],
  ':': ['colon'],
  ';': ['semi'],
  '<': ['lt'],
  '=': ['equals'],
  '>': ['gt'],
  '?': ['quest'],
  '@': ['commat'],
  '[': ['lsqb', 'lbrack'],
  '\\': ['bsol'],
  ']': ['rsqb', 'rbrack'],
  '^': ['hat'],
  _: ['lowbar', 'underbar'],
  '`': ['grave', 'diacriticalgrave'],
  '{': ['lcub', 'lbrace'],
  '|': ['verbar', 'vert', 'verticalline'],
  '}': ['rcub', 'rbrace'],
}

/** Digits of a numeric character reference, leading zeros included: &#x0000007b; is read, longer is not. */
const MAX_REFERENCE_DIGITS = 8
/** Escapes inside escapes looked for: two layers. */
const LAYERS = 2
/** The longest spelling of one character in two layers: "&amp;diacriticalgrave;" and the like. */
const LONGEST_CHARACTER_SPELLING = 32

/** JSON's and JavaScript's short escapes of printable characters. */
const SHORT_ESCAPES = new Set(['"', '\\', '/', "'"])

const fold = (code: number) => (code >= 0x41 && code <= 0x5a ? code + 0x20 : code)
const isHex = (code: number) =>
  (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66)
const isDigit = (code: number) => code >= 0x30 && code <= 0x39

/** Whether `text` at `at` spells `word`, ignoring ASCII case. */
function spells(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false
  for (let i = 0; i < word.length; i++) {
    if (fold(text.charCodeAt(at + i)) !== fold(word.charCodeAt(i))) return false
  }
  return true
}

/** The value of exactly `digits` hex digits at `at`, or -1. */
function fixedHex(text: string, at: number, digits: number): number {
  if (at + digits > text.length) return -1
  let value = 0
  for (let i = at; i < at + digits; i++) {
    if (!isHex(text.charCodeAt(i))) return -1
    value = value * 16 + Number.parseInt(text.charAt(i), 16)
  }
  return value
}

/**
 * Every end of a run of at most `maxDigits` digits from `at` whose value so
 * far is `code`: "&#0034" is 34 after "0034" and after "034"; "&#959" is
 * 95 after "95", as a sloppy encoder that drops the ";" before a digit
 * would have meant it.
 */
function numberEnds(text: string, at: number, code: number, radix: 10 | 16, maxDigits: number, ends: number[]): void {
  let value = 0
  for (let end = at; end < text.length && end - at < maxDigits; end++) {
    const c = text.charCodeAt(end)
    if (!(radix === 16 ? isHex(c) : isDigit(c))) return
    value = value * radix + Number.parseInt(text.charAt(end), radix)
    if (value > code) return
    if (value === code) ends.push(end + 1)
  }
}

/** With a character reference's optional ";" (browsers read &#34 without one). */
function withSemicolon(text: string, ends: number[]): number[] {
  for (const end of [...ends]) if (text.charCodeAt(end) === 0x3b) ends.push(end + 1)
  return ends
}

/**
 * Every end of a spelling of `char` (one key character) that starts at `at`.
 * With `layers` 2, what introduces an escape ("\", "%", "&") and the
 * character a short escape names may themselves be spelled one layer down.
 */
function spellingsOf(text: string, at: number, char: string, layers: number, ends: number[]): void {
  const code = char.charCodeAt(0)
  const here = text.charCodeAt(at)
  if (Number.isNaN(here)) return
  if (fold(here) === fold(code)) ends.push(at + 1)
  // A URL parser turns "\" into "/".
  if (char === '\\' && here === 0x2f) ends.push(at + 1)
  if (layers === 0) return
  /** Where what follows an introducer starts, for each spelling of it one layer down. */
  const after = (introducer: string): number[] => {
    const found: number[] = []
    spellingsOf(text, at, introducer, layers - 1, found)
    return found
  }
  for (const p of here === 0x25 || layers > 1 ? after('%') : []) {
    if (fixedHex(text, p, 2) === code) ends.push(p + 2)
  }
  for (const p of here === 0x5c || layers > 1 ? after('\\') : []) {
    const next = text.charAt(p).toLowerCase()
    if (SHORT_ESCAPES.has(char)) spellingsOf(text, p, char, layers - 1, ends)
    if (next === 'u' && fixedHex(text, p + 1, 4) === code) ends.push(p + 5)
    if (next === 'x' && fixedHex(text, p + 1, 2) === code) ends.push(p + 3)
  }
  for (const p of here === 0x26 || layers > 1 ? after('&') : []) {
    if (text.charCodeAt(p) === 0x23 /* # */) {
      const x = text.charCodeAt(p + 1)
      const digits: number[] = []
      if (x === 0x78 || x === 0x58) numberEnds(text, p + 2, code, 16, MAX_REFERENCE_DIGITS, digits)
      else numberEnds(text, p + 1, code, 10, MAX_REFERENCE_DIGITS, digits)
      ends.push(...withSemicolon(text, digits))
    }
    for (const name of NAMED_REFERENCES[char] ?? []) {
      if (spells(text, p, name) && text.charCodeAt(p + name.length) === 0x3b) ends.push(p + name.length + 1)
    }
  }
}

/** Whether a character can begin a spelling of `char`. */
const mayStart = (code: number, char: string) =>
  fold(code) === fold(char.charCodeAt(0)) ||
  code === 0x25 ||
  code === 0x5c ||
  code === 0x26 ||
  (code === 0x2f && char === '\\')

export interface KeyMatcher {
  /**
   * `text` with every spelling of the key replaced by `replacement`. With
   * `limit`, only what starts before it is kept (a spelling that starts
   * before and ends after is still replaced whole).
   */
  redact(text: string, replacement: string, limit?: number): string
  /** Whether `text` holds the key in any spelling. */
  holds(text: string): boolean
  /** The longest text one spelling of the key can take, for callers that cut text first. */
  readonly longestSpelling: number
}

export function createKeyMatcher(key: string): KeyMatcher {
  const chars = Array.from(key)
  const first = chars[0] ?? ''

  /** The end of the longest spelling of the key that starts at `at`, or -1. */
  function matchAt(text: string, at: number): number {
    if (chars.length === 0 || !mayStart(text.charCodeAt(at), first)) return -1
    let positions = [at]
    for (const char of chars) {
      const next: number[] = []
      for (const position of positions) spellingsOf(text, position, char, LAYERS, next)
      if (next.length === 0) return -1
      positions = next.length > 1 ? [...new Set(next)] : next
    }
    return Math.max(...positions)
  }

  return {
    redact(text, replacement, limit = text.length) {
      let out = ''
      let copied = 0
      for (let i = 0; i < limit;) {
        const end = matchAt(text, i)
        if (end === -1) {
          i++
          continue
        }
        out += text.slice(copied, i) + replacement
        copied = i = end
      }
      return out + text.slice(copied, Math.max(copied, limit))
    },
    holds(text) {
      for (let i = 0; i < text.length; i++) if (matchAt(text, i) !== -1) return true
      return false
    },
    longestSpelling: chars.length * LONGEST_CHARACTER_SPELLING,
  }
}
