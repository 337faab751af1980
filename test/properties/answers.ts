import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { TEST_API_KEY } from '../helper.js'
import { keyDecodedIn, keyIn } from '../key.js'
import { xmlProblem } from '../xml.js'

/** Put into what clients and the upstream send: found raw in an answer, it was reflected unescaped. */
export const CANARY = 'zq'
export const REFLECTED = [`<${CANARY}`, `"${CANARY}`, `'${CANARY}`]

/** A response head without its ETag line (a hash, which may spell a mark by chance). */
export const withoutEtag = (head: string): string => head.replace(/^etag:[^\r\n]*\r?\n?/gim, '')

/**
 * What every answer must be, whatever was asked and whatever the upstream
 * said: never a 5xx, an explicit Cache-Control, nothing reflected raw into
 * markup or headers (JSON escapes by being parseable), no key in any
 * spelling, SVG well-formed XML, JSON parseable.
 */
/** The body as the client reads it: compressed answers decompressed. */
function decoded(response: LightMyRequestResponse): string {
  const coding = response.headers['content-encoding']
  // A HEAD, or a 304, says how the body would be coded and sends none.
  if (response.rawPayload.length === 0) return ''
  if (coding === 'gzip') return gunzipSync(response.rawPayload).toString('utf8')
  if (coding === 'br') return brotliDecompressSync(response.rawPayload).toString('utf8')
  expect(coding ?? 'identity').toBe('identity')
  return response.body
}

export function checkAnswer(response: LightMyRequestResponse, method = 'GET'): void {
  const type = String(response.headers['content-type'])
  const context = `${method} ${response.statusCode} ${type}`
  expect(response.statusCode, context).toBeLessThan(500)
  expect(response.headers['cache-control'], context).toBeTruthy()
  const headerText = JSON.stringify(response.headers)
  const body = decoded(response)
  // An ETag is a hash of the answer, which may spell a mark by chance ("zq…, 1 in 4096).
  const reflectable = JSON.stringify(Object.entries(response.headers).filter(([name]) => name !== 'etag'))
  for (const mark of REFLECTED) {
    expect(reflectable, context).not.toContain(mark)
    if (!type.includes('json')) expect(body, context).not.toContain(mark)
  }
  expect(keyIn(headerText + body, TEST_API_KEY), context).toEqual([])
  expect(keyDecodedIn(headerText + body, TEST_API_KEY), context).toBe(false)
  if (method === 'HEAD' || body === '') return
  if (type.startsWith('image/svg+xml')) {
    expect(xmlProblem(body), context).toBeUndefined()
    expect(body.startsWith('<svg'), context).toBe(true)
  }
  if (type.startsWith('application/json')) expect(() => JSON.parse(body) as unknown, context).not.toThrow()
}
