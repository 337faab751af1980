import { UpstreamInvalidResponseError } from './errors.js'

/** Reads at most `limit` bytes of a body; a larger one is refused unread. */
export async function readLimitedText(response: Response, limit: number): Promise<string> {
  const tooLarge = () => new UpstreamInvalidResponseError(`body larger than ${limit} bytes`, response.status)
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > limit) {
    await response.body?.cancel()
    throw tooLarge()
  }
  if (!response.body) return ''
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

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
