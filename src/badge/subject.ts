import type { JSONSchema } from 'json-schema-to-ts'
import type { ResourceView } from '../status/freshness.js'
import type { Resource } from '../status/poller.js'
import type { Snapshot } from '../status/snapshot.js'
import type { BadgeError, BadgeFace } from './faces.js'
import type { Query } from './query.js'

/** A badge about its subject: what it says, what identifies it in JSON, and how fresh it is. */
export interface Badge extends BadgeFace {
  /** The JSON fields naming the subject, first in its `.json` ({ status }, { id, name, status }…). */
  readonly fields: Readonly<Record<string, unknown>>
  /** The polled resource it was read from: `updatedAt`, `stale`, and when its facts changed. */
  readonly view: Pick<ResourceView<unknown>, 'updatedAt' | 'stale' | 'asOf'>
}

/**
 * One kind of badge, declared once (shields' BaseService, made small): the
 * registry (./registry.ts) turns it into `<path>.svg`, `<path>.json` and
 * `<path>.png`, `<path>.shields.json`, with their schemas, cache keys, validators and error
 * answers. A new subject is one file of this shape and its test.
 */
export interface Subject<Params extends Readonly<Record<string, string>> = Readonly<Record<string, string>>> {
  /** Names the subject in cache keys. */
  readonly name: string
  /** The route without its format: '/badge', '/components/:id/badge'. */
  readonly path: string
  /** Schema of the path's parameters, when it has any. */
  readonly params?: JSONSchema
  /**
   * Query parameters that name the subject (a roll-up's `ids`): their
   * schemas join every format's query schema, and `identify` reads them.
   */
  readonly query?: {
    readonly properties: Readonly<Record<string, JSONSchema & object>>
    readonly required?: readonly string[]
  }
  /**
   * The parameters `badge` gets, from a query its schema passed, in
   * canonical form (they are part of the cache key); a reason when they
   * name no subject. Without it, the path's parameters.
   */
  identify?(query: Query): Params | BadgeError
  /** Schemas of `fields`, for the `.json` route's response schema (its serializer). */
  readonly fields: Readonly<Record<string, JSONSchema>>
  /** The resource it reads: before its first poll, a request waits for it (at most 2 s). */
  readonly resource: Resource
  /** The left-hand text of its error badges. */
  readonly errorLabel: string
  /** Pure: the badge for these parameters in this snapshot; undefined when there is no such subject. */
  badge(snapshot: Snapshot, params: Params): Badge | undefined
}
