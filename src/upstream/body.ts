const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i

/**
 * How deep the upstream's JSON may nest. Its documented payloads are four
 * levels deep (envelope, data, monitors, monitor); sixty-four leaves room for
 * any extra field. Deeper is not a payload but an attack on whatever walks
 * it (JSON.stringify overflows the stack near ten thousand levels).
 */
export const MAX_JSON_DEPTH = 64

/**
 * Whether a body may be parsed as JSON: a JSON media type, no media type, or
 * a mislabelled text/* body that is a JSON object. PHP answers text/html
 * unless told otherwise; the vendor's error pages are HTML and start with "<".
 */
export function looksLikeJson(contentType: string | null, body: string): boolean {
  if (contentType === null || JSON_TYPE.test(contentType)) return true
  return /^text\//i.test(contentType) && body.trimStart().startsWith('{')
}

/** The body's text without a UTF-8 byte order mark (PHP files saved "with BOM" send one first). */
export function bodyText(body: Buffer): string {
  const text = body.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** Whether JSON text nests arrays and objects deeper than `max`: one pass, strings skipped. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c /* \ */) i++
      else if (c === 0x22 /* " */) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--
  }
  return false
}
