import { badgeCacheControl, shieldsCacheSeconds, shortCacheControl } from '../cache-policy.js'
import { errorFace, type BadgeFace } from '../faces.js'
import type { BadgeFormat, SyncContent } from '../format.js'
import type { DocumentOptions } from '../query.js'
import { badgeText } from '../render.js'
import { NOT_MODIFIED, SHIELDS_ENDPOINT_JSON } from '../schemas.js'
import { JSON_CONTENT_TYPE } from './json.js'
import { BADGE_ERROR_HEADER } from './svg.js'
import { serializer } from '../serializer.js'
import { documentFace, documentQuery, documentRouteOptions } from './document.js'

const serialize = serializer(SHIELDS_ENDPOINT_JSON)

/**
 * `<path>.shields.json`, for https://shields.io/badges/endpoint-badge. Always
 * HTTP 200: shields draws its own error for any other status, so a failure
 * is `isError: true` with the reason as the message.
 */
export const shieldsFormat: BadgeFormat = (subject, { cachePolicy, jsonHeaders }) => {
  function content(face: BadgeFace, headers: Readonly<Record<string, string>>): SyncContent {
    const text = serialize({
      schemaVersion: 1,
      label: badgeText(face.label),
      message: face.message,
      color: face.color,
      cacheSeconds: shieldsCacheSeconds(face.known, cachePolicy),
      ...(!face.known && { isError: true }),
    })
    const cacheControl = face.known ? badgeCacheControl(cachePolicy) : shortCacheControl(cachePolicy)
    return {
      key: `${cacheControl}\n${text}`,
      prepare: () => ({ body: text, contentType: JSON_CONTENT_TYPE, cacheControl, headers }),
    }
  }
  return {
    url: `${subject.path}.shields.json`,
    scope: 'documents',
    alwaysOk: true,
    schema: {
      ...(subject.params && { params: subject.params }),
      querystring: documentQuery(subject),
      response: { 200: SHIELDS_ENDPOINT_JSON, 304: NOT_MODIFIED },
    },
    options: (request) => documentRouteOptions(request, 'not found'),
    content: (badge, options: DocumentOptions) => content({ ...badge, ...documentFace(badge, options) }, jsonHeaders),
    error(reason) {
      const errorContent = content(errorFace(subject.errorLabel, reason), {
        ...jsonHeaders,
        [BADGE_ERROR_HEADER]: reason,
      })
      return { key: `error\n${errorContent.key}`, prepare: () => ({ ...errorContent.prepare(), datable: false }) }
    },
  }
}
