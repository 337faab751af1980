import type { FastifyRequest, FastifySchema } from 'fastify'
import type { Prepared } from '../http/prepared.js'
import type { BadgeError } from './faces.js'
import type { Logos } from './logos/logos.js'
import type { Rasteriser } from './raster.js'
import type { Badge, Subject } from './subject.js'
import type { CachePolicyOptions } from './cache-policy.js'

/**
 * What a variant holds: a key naming the bytes, and how to make them when
 * the key is new (at once, or off the event loop: a PNG).
 */
export interface Content {
  readonly key: string
  prepare(): Prepared | Promise<Prepared>
}

/** Content made at once. */
export interface SyncContent extends Content {
  prepare(): Prepared
}

/** A request's canonical options in one format (style, label… for an image). */
export interface FormatOptions {
  /** "" for none; else "?…", in a fixed order. */
  readonly key: string
}

/** One subject in one format: a route's schema and everything its handler makes. */
export interface FormatRoute<Options extends FormatOptions = FormatOptions> {
  /** '/badge.svg', '/components/:id/badge.json'… */
  readonly url: string
  /** Images answer every failure with an image; documents answer JSON, with CORS. */
  readonly scope: 'images' | 'documents'
  /** Whether every failure is answered 200 in this format (images, shields JSON), else with its status. */
  readonly alwaysOk: boolean
  /** Rendered images are kept in a cache of their own (CACHE_BOUNDS.rasters). */
  readonly raster?: boolean
  readonly schema: FastifySchema
  /** The request's options, or why they cannot be honoured (its validation failed). */
  options(request: FastifyRequest): Options | BadgeError
  /** The content of a badge; a reason when an option cannot be honoured after all (no such logo). */
  content(badge: Badge, options: Options): Content | BadgeError | Promise<Content | BadgeError>
  /** The answer for a failure, shared by every URL of the route that fails alike. */
  error(reason: BadgeError, request: FastifyRequest): Content
}

export interface FormatContext {
  readonly cachePolicy: CachePolicyOptions
  /** The headers of a JSON answer: security headers, and CORS's when they are the same for every request (http/security.ts jsonHeaders). */
  readonly jsonHeaders: Readonly<Record<string, string>>
  /** Logos for images, read on first use. */
  readonly logos: Logos
  /** PNGs, made on first use. */
  readonly rasteriser: Rasteriser
}

/** A format turns a subject into its route: `.svg`, `.png`, `.json`, `.shields.json`. */
export type BadgeFormat = (subject: Subject, context: FormatContext) => FormatRoute
