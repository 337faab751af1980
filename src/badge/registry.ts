import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import type { Send } from '../http/responder.js'
import { NO_STORE } from './cache-policy.js'
import type { Representation } from '../http/prepared.js'
import type { VariantCache } from '../http/variants.js'
import { withSnapshot, type Snapshot, type SnapshotStore } from '../status/snapshot.js'
import { BadgeFailure, type BadgeError } from './faces.js'
import type { BadgeFormat, Content, FormatContext, FormatRoute } from './format.js'
import type { Query } from './query.js'
import type { Subject } from './subject.js'

export interface BadgeRegistryOptions {
  readonly subjects: readonly Subject[]
  readonly formats: readonly BadgeFormat[]
  readonly context: FormatContext
  readonly store: SnapshotStore
  /** Prepared badges by variant; bounded in bytes. */
  readonly variants: VariantCache
  /** Rendered images (PNG) by variant: expensive to make, kept apart; bounded in bytes. */
  readonly rasters: VariantCache
  /** Error answers: few (format × reason × style × label), made once. */
  readonly errors: VariantCache
  readonly send: Send
  readonly logger: Logger
  /** The left-hand text of error badges for URLs no route knows. */
  readonly label: string
}

/** The route label of answers for URLs no route knows. */
export const UNMATCHED_ROUTE = '(unmatched)'

/** Error answers never change: they belong to generation 0, made once. */
const ERRORS_GENERATION = 0

/** `next(value)` now, or once `value` settles: the synchronous path stays synchronous. */
function then<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value)
}

/**
 * Every subject in every format, as routes. A request finds the variant
 * prepared for the current snapshot and sends it; only the first request of
 * a variant after a snapshot changes computes its badge, and only a new
 * content renders. Failures answer in the route's format.
 */
export function createBadgeRegistry(options: BadgeRegistryOptions) {
  const { store, variants, rasters, errors, send } = options

  // Error answers are not datable (http/prepared.ts): the time given is never shown.
  const errorAnswer = (content: Content): Representation | Promise<Representation> =>
    errors.get(content.key, ERRORS_GENERATION) ??
    errors.put(content.key, ERRORS_GENERATION, content.key, 0, () => content.prepare())

  /** Each format for a URL no route knows, by its suffix, longest first (".shields.json" before ".json"). */
  const unmatched: Subject = {
    name: 'unmatched',
    path: '',
    fields: {},
    resource: 'status',
    errorLabel: options.label,
    badge: () => undefined,
  }
  const unmatchedRoutes = options.formats
    .map((format) => format(unmatched, options.context))
    .sort((a, b) => b.url.length - a.url.length)

  function handlerFor(subject: Subject, route: FormatRoute, out: Send) {
    const base = `${route.url}\n`
    const paramNames = [
      ...Object.keys((subject.params as { properties?: object } | undefined)?.properties ?? {}),
      ...Object.keys(subject.query?.properties ?? {}),
    ]
    const cache = route.raster ? rasters : variants
    const fail = (reason: BadgeError, request: FastifyRequest, reply: FastifyReply) =>
      then(errorAnswer(route.error(reason, request)), (rep) => out(route.url, request, reply, rep))

    function serve(snapshot: Snapshot, request: FastifyRequest, reply: FastifyReply) {
      const options = route.options(request)
      if (typeof options === 'string') return fail(options, request, reply)
      const params = subject.identify
        ? subject.identify(request.query as Query)
        : (request.params as Readonly<Record<string, string>>)
      if (typeof params === 'string') return fail(params, request, reply)
      let key = base
      for (const name of paramNames) key += `${params[name] ?? ''}\n`
      key += options.key
      const prepared = cache.get(key, snapshot.generation)
      if (prepared) return out(route.url, request, reply, prepared)
      const badge = subject.badge(snapshot, params)
      if (!badge) return fail('not found', request, reply)
      const answer = then(route.content(badge, options), (content) => {
        if (typeof content === 'string') return fail(content, request, reply)
        // Query parameters are the client's to invent: such a variant is kept only when admitted.
        const rep = cache.put(
          key,
          snapshot.generation,
          content.key,
          badge.view.asOf,
          () => content.prepare(),
          options.key !== '',
        )
        return then(rep, (made) => out(route.url, request, reply, made))
      })
      // A content that could not be made (a PNG past its bounds) answers its error, and is not kept.
      return answer instanceof Promise
        ? answer.catch((failure: unknown) => {
            if (failure instanceof BadgeFailure) return fail(failure.reason, request, reply)
            throw failure
          })
        : answer
    }

    const { resource } = subject
    return function badgeHandler(request: FastifyRequest, reply: FastifyReply) {
      // withSnapshot's test, inlined: the hot path allocates no closure.
      const snapshot = store.current()
      if (snapshot.settled[resource]) return serve(snapshot, request, reply)
      return withSnapshot(store, resource, (settled) => serve(settled, request, reply))
    }
  }

  /**
   * The query schemas routes share, by $id: added once to the root
   * (`addSchemas`) and referred to by each route, so that Fastify's ajv
   * (told not to inline references, src/app.ts) compiles each once, not once
   * per route and again for its HEAD route, about 0.5 MB of resident memory
   * each.
   */
  const shared = new Map<string, object>()
  /** A schema with an $id, added once, as a reference; its allOf parts too. */
  const share = (schema: { $id?: string; allOf?: object[] }): object => {
    if (schema.$id === undefined) return schema
    if (!shared.has(schema.$id)) {
      const parts = schema.allOf?.map((part) => share(part))
      shared.set(schema.$id, parts ? { ...schema, allOf: parts } : schema)
    }
    return { $ref: `${schema.$id}#` }
  }

  const routes = options.subjects.flatMap((subject) =>
    options.formats.map((format) => {
      const route = format(subject, options.context)
      const query = route.schema.querystring as { $id?: string } | undefined
      return { subject, route, schema: query ? { ...route.schema, querystring: share(query) } : route.schema }
    }),
  )

  /**
   * Registers the routes of one scope (images, or documents) on `app`, their
   * answers sent by `out` (the responder's `direct` where no hook of the
   * scope sets a header).
   */
  function register(app: FastifyInstance, scope: FormatRoute['scope'], out: Send = send): void {
    for (const { subject, route, schema } of routes.filter((r) => r.route.scope === scope)) {
      app.get(route.url, {
        schema,
        attachValidation: true,
        handler: handlerFor(subject, route, out),
        // A thrown error still answers in the route's format.
        errorHandler(error, request, reply) {
          options.logger.error({ err: error, reqId: request.id, route: route.url }, 'request failed')
          const answered = then(errorAnswer(route.error('internal server error', request)), (rep) =>
            send(route.url, request, reply, rep),
          )
          // Not even the error answer could be made (a PNG with no rasteriser): a bare 500.
          if (answered instanceof Promise) {
            answered.catch((failure: unknown) => {
              options.logger.error({ err: failure, reqId: request.id, route: route.url }, 'error answer failed')
              void reply.code(500).header('cache-control', NO_STORE).send()
            })
          }
        },
      })
    }
  }

  return {
    /** Adds the shared query schemas to `app`: the root, before any scope registers its routes. */
    addSchemas(app: FastifyInstance): void {
      for (const schema of shared.values()) app.addSchema(schema)
    },
    register,
    /**
     * Answers a GET for a URL no route knows, or whose path cannot be
     * decoded, in the format its suffix names when that format is an image
     * or shields JSON (an <img> with a typo shows "not found", not a broken
     * image). False when the suffix names no such format: the caller answers.
     */
    answerUnmatched(
      request: FastifyRequest,
      reply: FastifyReply,
      reason: BadgeError,
    ): FastifyReply | Promise<FastifyReply> | false {
      const path = request.url.split('?', 1)[0] ?? ''
      const route = unmatchedRoutes.find((r) => path.endsWith(r.url))
      if (!route?.alwaysOk) return false
      return then(errorAnswer(route.error(reason, request)), (rep) => send(UNMATCHED_ROUTE, request, reply, rep))
    },
  }
}

export type BadgeRegistry = ReturnType<typeof createBadgeRegistry>
