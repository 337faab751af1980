import { badgeCacheControl, NO_STORE, shortCacheControl } from '../cache-policy.js'
import { cssHex } from '../colors.js'
import { errorStatus, type BadgeError } from '../faces.js'
import type { BadgeFormat, FormatContext, FormatRoute, SyncContent } from '../format.js'
import type { Badge, Subject } from '../subject.js'
import type { DocumentOptions } from '../query.js'
import { badgeJsonSchema, ERROR_BODY, NOT_MODIFIED } from '../schemas.js'
import { BADGE_ERROR_HEADER } from './svg.js'
import { serializer } from '../serializer.js'
import { documentFace, documentQuery, documentRouteOptions } from './document.js'

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'
const serializeError = serializer(ERROR_BODY)

/** A JSON route's error: its real status, an `error` string, never cached, never a 304. */
export function jsonError(reason: BadgeError, headers: Readonly<Record<string, string>>): SyncContent {
  return {
    key: `error\n${reason}`,
    prepare: () => ({
      body: serializeError({ error: reason }),
      contentType: JSON_CONTENT_TYPE,
      cacheControl: NO_STORE,
      headers: { ...headers, [BADGE_ERROR_HEADER]: reason },
      statusCode: errorStatus(reason),
    }),
  }
}

/**
 * `<path>.json`: what identifies the subject, then the face and the
 * freshness every badge shares. Serialised by fast-json-stringify from the
 * route's response schema, so a body that strays from it fails here.
 */
/** A JSON route: its content is made at once (the live-update stream sends the same bytes). */
export type JsonRoute = Omit<FormatRoute<DocumentOptions>, 'content'> & {
  content(badge: Badge, options: DocumentOptions): SyncContent
}

export const jsonFormat = ((
  subject: Subject,
  { cachePolicy, jsonHeaders }: Pick<FormatContext, 'cachePolicy' | 'jsonHeaders'>,
): JsonRoute => {
  const body = badgeJsonSchema(subject.fields)
  const serialize = serializer(body)
  return {
    url: `${subject.path}.json`,
    scope: 'documents',
    alwaysOk: false,
    schema: {
      ...(subject.params && { params: subject.params }),
      querystring: documentQuery(subject),
      response: { 200: body, 304: NOT_MODIFIED, 400: ERROR_BODY, 404: ERROR_BODY, 500: ERROR_BODY },
    },
    options: (request) => documentRouteOptions(request, 'invalid id'),
    content(badge: Badge, options: DocumentOptions) {
      const face = documentFace(badge, options)
      const text = serialize({
        ...badge.fields,
        label: badge.label,
        message: face.message,
        color: cssHex(face.color),
        updatedAt: badge.view.updatedAt,
        stale: badge.view.stale,
      })
      const cacheControl = badge.known ? badgeCacheControl(cachePolicy) : shortCacheControl(cachePolicy)
      return {
        key: `${cacheControl}\n${text}`,
        prepare: () => ({ body: text, contentType: JSON_CONTENT_TYPE, cacheControl, headers: jsonHeaders }),
      }
    },
    error: (reason) => jsonError(reason, jsonHeaders),
  }
}) satisfies BadgeFormat
