import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/**
 * node:http (or node:https), loaded with require. An ES import of node:http
 * builds its module namespace, which reads every export, and Node 24's
 * WebSocket, CloseEvent and MessageEvent exports are getters that load
 * undici: 13 MB of resident memory for a client this service never uses
 * (eslint.config.js keeps value imports of node:http out of src/).
 */
export function nodeHttp(protocol: 'http:' | 'https:' = 'http:'): typeof import('node:http') {
  return require(protocol === 'https:' ? 'node:https' : 'node:http') as typeof import('node:http')
}
