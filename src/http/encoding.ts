import type { IncomingHttpHeaders } from 'node:http'
import Negotiator from 'negotiator'

export const ENCODINGS = ['br', 'gzip'] as const
export type Encoding = (typeof ENCODINGS)[number]

/**
 * The content coding to send, from Accept-Encoding (RFC 9110 §12.5.3), by
 * `negotiator` (jshttp, 1.1.0): weights and q=0 refusals honoured, "*" for
 * codings not named; brotli first when the client weighs both the same.
 */
export function chooseEncoding(headers: IncomingHttpHeaders): Encoding | undefined {
  if (!headers['accept-encoding']) return undefined
  // @types/negotiator 0.6 predates the `preferred` option of negotiator 1.0.
  const negotiator = new Negotiator({ headers }) as unknown as { encoding: PreferringEncoding }
  const chosen = negotiator.encoding(ENCODINGS, { preferred: ENCODINGS })
  return chosen === 'br' || chosen === 'gzip' ? chosen : undefined
}

type PreferringEncoding = (
  available: readonly string[],
  options: { preferred: readonly string[] },
) => string | undefined
