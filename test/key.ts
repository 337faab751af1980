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
    fc.tuple(fc.nat(3), fc.boolean()).map(([zeros, semi]) => `&#${'0'.repeat(zeros)}${code}${semi ? ';' : ''}`),
    fc.tuple(fc.nat(3), fc.boolean()).map(([zeros, upper]) => `&#${upper ? 'X' : 'x'}${'0'.repeat(zeros)}${h};`),
  ]
  if ('"\\/'.includes(c)) options.push(fc.constant(`\\${c}`))
  if (HTML[c]) options.push(fc.constant(HTML[c]))
  return fc.oneof(...options)
}

/** The key with each character spelled its own way: partly encoded, partly escaped, any case. */
export const mixedSpelling = (key: string): fc.Arbitrary<string> =>
  fc.tuple(...Array.from(key).map(characterSpelling)).map((parts) => parts.join(''))
