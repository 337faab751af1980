import { SECURITY_HEADERS } from '../../http/security.js'
import { badgeCacheControl, NO_STORE, shortCacheControl } from '../cache-policy.js'
import { BADGE_COLORS } from '../colors.js'
import { errorStatus, type BadgeError } from '../faces.js'
import type { BadgeFormat, Content, FormatOptions } from '../format.js'
import { badgeJsonSchema, ERROR_BODY, NOT_MODIFIED } from '../schemas.js'
import { BADGE_ERROR_HEADER } from './svg.js'
import { serializer } from '../serializer.js'

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'
const NO_OPTIONS: FormatOptions = { key: '' }
const serializeError = serializer(ERROR_BODY)

/** A JSON route's error: its real status, an `error` string, never cached, never a 304. */
export function jsonError(reason: BadgeError): Content {
  return {
    key: `error\n${reason}`,
    prepare: () => ({
      body: serializeError({ error: reason }),
      contentType: JSON_CONTENT_TYPE,
      cacheControl: NO_STORE,
      headers: { ...SECURITY_HEADERS.json, [BADGE_ERROR_HEADER]: reason },
      statusCode: errorStatus(reason),
    }),
  }
}

/**
 * `<path>.json`: what identifies the subject, then the face and the
 * freshness every badge shares. Serialised by fast-json-stringify from the
 * route's response schema, so a body that strays from it fails here.
 */
export const jsonFormat: BadgeFormat = (subject, { cachePolicy }) => {
  const body = badgeJsonSchema(subject.fields)
  const serialize = serializer(body)
  return {
    url: `${subject.path}.json`,
    scope: 'documents',
    alwaysOk: false,
    schema: {
      ...(subject.params && { params: subject.params }),
      response: { 200: body, 304: NOT_MODIFIED, 400: ERROR_BODY, 404: ERROR_BODY, 500: ERROR_BODY },
    },
    options: (request) => (request.validationError ? 'invalid id' : NO_OPTIONS),
    content(badge) {
      const text = serialize({
        ...badge.fields,
        label: badge.label,
        message: badge.message,
        color: BADGE_COLORS[badge.color],
        updatedAt: badge.view.updatedAt,
        stale: badge.view.stale,
      })
      const cacheControl = badge.known ? badgeCacheControl(cachePolicy) : shortCacheControl(cachePolicy)
      return {
        key: `${cacheControl}\n${text}`,
        prepare: () => ({ body: text, contentType: JSON_CONTENT_TYPE, cacheControl, headers: SECURITY_HEADERS.json }),
      }
    },
    error: (reason) => jsonError(reason),
  }
}
