import fc from 'fast-check'

/**
 * How a key can look once something has escaped it: written here
 * independently of src/upstream/key-forms.ts, so that the leak checks do not
 * take the code under test for their oracle.
 */
const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0')

/** The spellings an encoder of HTML, JSON or URLs produces for `key`, compared ignoring case. */
export function keySpellings(key: string): string[] {
  const json = JSON.stringify(key).slice(1, -1)
  const html = key.replace(/[&<>"']/g, (c) => HTML[c] ?? c)
  return [
    ...new Set([
      key,
      encodeURIComponent(key),
      encodeURI(key),
      // WHATWG URL normalisation of a path and of a query (the Location of a redirect).
      new URL(`http://h.invalid/${key}`).pathname.slice(1),
      new URL(`http://h.invalid/?${key}`).search.slice(1),
      new URLSearchParams({ k: key }).toString().slice(2),
      json,
      json.replace(/\//g, '\\/'),
      html,
      key.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.charCodeAt(0)};`),
      key.replace(/[^A-Za-z0-9]/g, (c) => `&#x${hex(c)};`),
      // One escape inside another: JSON of the HTML form, HTML of the JSON form.
      JSON.stringify(html).slice(1, -1),
      json.replace(/[&<>"']/g, (c) => HTML[c] ?? c),
      Array.from(key)
        .map((c) => `%${hex(c).toUpperCase()}`)
        .join(''),
      Array.from(key)
        .map((c) => `\\u00${hex(c)}`)
        .join(''),
    ]),
  ]
}

/** The spellings of `key` found in `text`. */
export function keyIn(text: string, key: string): string[] {
  const folded = text.toLowerCase()
  return keySpellings(key).filter((spelling) => folded.includes(spelling.toLowerCase()))
}

/** One character as an escaper might have written it. */
function characterSpelling(c: string): fc.Arbitrary<string> {
  const code = c.charCodeAt(0)
  const h = hex(c)
  const options: Array<fc.Arbitrary<string>> = [
    fc.constant(c),
    fc.constant(c.toUpperCase()),
    fc.constant(c.toLowerCase()),
    fc.constantFrom(`%${h}`, `%${h.toUpperCase()}`),
    fc.constantFrom(`\\u00${h}`, `\\u00${h.toUpperCase()}`, `\\x${h}`),
    // With its ";": without one, "&#95" then "9" is "&#959" to any HTML parser.
    fc.nat(3).map((zeros) => `&#${'0'.repeat(zeros)}${code};`),
    fc.tuple(fc.nat(3), fc.boolean()).map(([zeros, upper]) => `&#${upper ? 'X' : 'x'}${'0'.repeat(zeros)}${h};`),
  ]
  if ('"\\/'.includes(c)) options.push(fc.constant(`\\${c}`))
  if (HTML[c]) options.push(fc.constant(HTML[c]))
  return fc.oneof(...options)
}

/** The key with each character spelled its own way: partly encoded, partly escaped, any case. */
export const mixedSpelling = (key: string): fc.Arbitrary<string> =>
  fc.tuple(...Array.from(key).map(characterSpelling)).map((parts) => parts.join(''))

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  sol: '/',
  bsol: '\\',
  lcub: '{',
  lbrace: '{',
  rcub: '}',
  rbrace: '}',
  hat: '^',
  verbar: '|',
  vert: '|',
  percnt: '%',
  lowbar: '_',
  tilde: '~',
}

/**
 * `text` with every escape of one layer decoded at once, each position its
 * own way (%XX, \uXXXX, \xXX, &#NN, &#xNN, &name;, and with `short` the
 * JSON escapes \" \\ \/): a key spelled a different way per character comes
 * back whole. Decoding, then searching: not how src/upstream/key-forms.ts
 * works, so that it can check it.
 */
function decodeLayer(text: string, short: boolean): string {
  const pattern = short
    ? /%([0-9a-f]{2})|\\u([0-9a-f]{4})|\\x([0-9a-f]{2})|&#x0*([0-9a-f]{1,6});?|&#0*(\d{1,7});?|&([a-z]+);|\\(["\\/'])/gi
    : /%([0-9a-f]{2})|\\u([0-9a-f]{4})|\\x([0-9a-f]{2})|&#x0*([0-9a-f]{1,6});?|&#0*(\d{1,7});?|&([a-z]+);/gi
  return text.replace(
    pattern,
    (whole, pct?: string, u?: string, x?: string, hexRef?: string, decRef?: string, name?: string, esc?: string) => {
      const hexCode = pct ?? u ?? x ?? hexRef
      if (hexCode !== undefined) return String.fromCodePoint(Math.min(Number.parseInt(hexCode, 16), 0x10ffff))
      if (decRef !== undefined) return String.fromCodePoint(Math.min(Number(decRef), 0x10ffff))
      if (name !== undefined) return NAMED[name.toLowerCase()] ?? whole
      return esc ?? whole
    },
  )
}

/** Whether `text` holds `key` once escapes are decoded, one layer or two, any case. */
export function keyDecodedIn(text: string, key: string): boolean {
  const wanted = key.toLowerCase()
  const variants = [text]
  for (const short of [false, true]) {
    const once = decodeLayer(text, short)
    variants.push(once, decodeLayer(once, short))
  }
  return variants.some((variant) => variant.toLowerCase().includes(wanted))
}
