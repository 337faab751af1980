const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i

/**
 * Whether a body may be parsed as JSON: a JSON media type, no media type, or
 * a mislabelled text/* body that is a JSON object. PHP answers text/html
 * unless told otherwise; the vendor's error pages are HTML and start with "<".
 */
export function looksLikeJson(contentType: string | null, body: string): boolean {
  if (contentType === null || JSON_TYPE.test(contentType)) return true
  return /^text\//i.test(contentType) && body.trimStart().startsWith('{')
}
