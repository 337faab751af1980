import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import type { Send } from '../http/responder.js'
import type { Representation } from '../http/prepared.js'
import type { VariantCache } from '../http/variants.js'
import { withSnapshot, type Snapshot, type SnapshotStore } from '../status/snapshot.js'
import type { BadgeError } from './faces.js'
import type { BadgeFormat, Content, FormatContext, FormatRoute } from './format.js'
import type { Subject } from './subject.js'

export interface BadgeRegistryOptions {
  readonly subjects: readonly Subject[]
  readonly formats: readonly BadgeFormat[]
  readonly context: FormatContext
  readonly store: SnapshotStore
  /** Prepared badges by variant; bounded in bytes. */
  readonly variants: VariantCache
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

/**
 * Every subject in every format, as routes. A request finds the variant
 * prepared for the current snapshot and sends it; only the first request of
 * a variant after a snapshot changes computes its badge, and only a new
 * content renders. Failures answer in the route's format.
 */
export function createBadgeRegistry(options: BadgeRegistryOptions) {
  const { store, variants, errors, send } = options

  // Error answers are not datable (http/prepared.ts): the time given is never shown.
  const errorAnswer = (content: Content): Representation =>
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

  function handlerFor(subject: Subject, route: FormatRoute) {
    const base = `${route.url}\n`
    const paramNames = subject.params ? Object.keys((subject.params as { properties?: object }).properties ?? {}) : []

    function serve(snapshot: Snapshot, request: FastifyRequest, reply: FastifyReply): FastifyReply {
      const options = route.options(request)
      if (typeof options === 'string')
        return send(route.url, request, reply, errorAnswer(route.error(options, request)))
      const params = request.params as Readonly<Record<string, string>>
      let key = base
      for (const name of paramNames) key += `${params[name] ?? ''}\n`
      key += options.key
      const prepared = variants.get(key, snapshot.generation)
      if (prepared) return send(route.url, request, reply, prepared)
      const badge = subject.badge(snapshot, params)
      if (!badge) return send(route.url, request, reply, errorAnswer(route.error('not found', request)))
      const content = route.content(badge, options)
      // Query parameters are the client's to invent: such a variant is kept only when admitted.
      const rep = variants.put(
        key,
        snapshot.generation,
        content.key,
        badge.view.asOf,
        () => content.prepare(),
        options.key !== '',
      )
      return send(route.url, request, reply, rep)
    }

    const { resource } = subject
    return function badgeHandler(request: FastifyRequest, reply: FastifyReply) {
      // withSnapshot's test, inlined: the hot path allocates no closure.
      const snapshot = store.current()
      if (snapshot.settled[resource]) return serve(snapshot, request, reply)
      return withSnapshot(store, resource, (settled) => serve(settled, request, reply))
    }
  }

  function routesOf(scope: FormatRoute['scope']) {
    return options.subjects.flatMap((subject) =>
      options.formats
        .map((format) => format(subject, options.context))
        .filter((route) => route.scope === scope)
        .map((route) => ({ subject, route })),
    )
  }

  /** Registers the routes of one scope (images, or documents) on `app`. */
  function register(app: FastifyInstance, scope: FormatRoute['scope']): void {
    for (const { subject, route } of routesOf(scope)) {
      app.get(route.url, {
        schema: route.schema,
        attachValidation: true,
        handler: handlerFor(subject, route),
        // A thrown error still answers in the route's format.
        errorHandler(error, request, reply) {
          options.logger.error({ err: error, reqId: request.id, route: route.url }, 'request failed')
          void send(route.url, request, reply, errorAnswer(route.error('internal server error', request)))
        },
      })
    }
  }

  return {
    register,
    /**
     * Answers a GET for a URL no route knows, or whose path cannot be
     * decoded, in the format its suffix names when that format is an image
     * or shields JSON (an <img> with a typo shows "not found", not a broken
     * image). False when the suffix names no such format: the caller answers.
     */
    answerUnmatched(request: FastifyRequest, reply: FastifyReply, reason: BadgeError): FastifyReply | false {
      const path = request.url.split('?', 1)[0] ?? ''
      const route = unmatchedRoutes.find((r) => path.endsWith(r.url))
      if (!route?.alwaysOk) return false
      return send(UNMATCHED_ROUTE, request, reply, errorAnswer(route.error(reason, request)))
    },
  }
}

export type BadgeRegistry = ReturnType<typeof createBadgeRegistry>
