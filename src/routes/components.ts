import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { BadgeFormats } from '../badge/formats.js'
import { BadgeQuery } from '../badge/params.js'
import { COMPONENT_LABEL, componentBadge } from '../badge/subjects.js'
import { sendRepresentation, sendStatus } from '../http/send.js'
import type { ComponentCatalog } from '../status/components.js'
import type { SnapshotSource } from '../status/source.js'
import {
  ComponentBadgeJson,
  ComponentParams,
  ComponentsJson,
  ErrorBody,
  NotModified,
  ShieldsEndpointJson,
  SvgBody,
} from './schemas.js'
import { svgParams } from './svg-params.js'

export interface ComponentRouteOptions {
  readonly source: SnapshotSource
  readonly formats: BadgeFormats
  readonly catalog: ComponentCatalog
}

/** The view of /monitors and what one id's badge shows: undefined when not found. */
async function componentSubject(source: SnapshotSource, catalog: ComponentCatalog, id: string) {
  const view = await source.view('monitors')
  const lookup = catalog.lookup(view, id)
  return { view, badge: lookup.kind === 'not-found' ? undefined : componentBadge(lookup) }
}

/** One badge per public monitor, as an image. A hidden id and a missing one get the same answer. */
export const componentSvgRoutes: FastifyPluginAsyncTypebox<ComponentRouteOptions> = async (app, options) => {
  const { source, formats, catalog } = options

  const subject = (id: string) => componentSubject(source, catalog, id)

  app.get(
    '/components/:id/badge.svg',
    {
      schema: {
        summary: 'Component badge',
        params: ComponentParams,
        querystring: BadgeQuery,
        response: { 200: SvgBody, 304: NotModified },
      },
      attachValidation: true,
    },
    async function componentBadgeSvg(request, reply) {
      const params = svgParams(request)
      if (typeof params === 'string')
        return sendRepresentation(
          request,
          reply,
          formats.errorSvg(`components/${request.params.id}/badge.svg`, COMPONENT_LABEL, params),
        )
      const { view, badge } = await subject(request.params.id)
      if (!badge)
        return sendRepresentation(
          request,
          reply,
          formats.errorSvg(`components/${request.params.id}/badge.svg`, COMPONENT_LABEL, 'not found', params),
        )
      const route = `components/${badge.id}/badge.svg`
      return sendRepresentation(request, reply, formats.svg(route, badge.face, params, view.asOf))
    },
  )
}

/** Components as JSON: one, as shields.io endpoint JSON, and the list. Hidden and missing ids alike. */
export const componentJsonRoutes: FastifyPluginAsyncTypebox<ComponentRouteOptions> = async (app, options) => {
  const { source, formats, catalog } = options

  const subject = (id: string) => componentSubject(source, catalog, id)

  app.get(
    '/components/:id/badge.json',
    {
      schema: {
        summary: 'Component status',
        params: ComponentParams,
        response: { 200: ComponentBadgeJson, 304: NotModified, 400: ErrorBody, 404: ErrorBody },
      },
      attachValidation: true,
    },
    async function componentBadgeJson(request, reply) {
      if (request.validationError) return sendStatus(request, reply, 400, formats.errorJson('invalid id'))
      const { view, badge } = await subject(request.params.id)
      if (!badge) return sendStatus(request, reply, 404, formats.errorJson('not found'))
      const { id, name, status, face } = badge
      const served = formats.badgeJson(`components/${id}/badge.json`, face, view, { id, name, status })
      return sendRepresentation(request, reply, served)
    },
  )

  app.get(
    '/components/:id/badge.shields.json',
    {
      schema: {
        summary: 'Component status for shields.io (200 even when not found: shields draws its own error otherwise)',
        params: ComponentParams,
        response: { 200: ShieldsEndpointJson, 304: NotModified },
      },
      attachValidation: true,
    },
    async function componentBadgeShields(request, reply) {
      const found = request.validationError ? undefined : await subject(request.params.id)
      if (!found?.badge)
        return sendRepresentation(
          request,
          reply,
          formats.errorShields(`components/${request.params.id}/badge.shields.json`, COMPONENT_LABEL, 'not found'),
        )
      const { view, badge } = found
      return sendRepresentation(
        request,
        reply,
        formats.shields(`components/${badge.id}/badge.shields.json`, badge.face, view.asOf),
      )
    },
  )

  app.get(
    '/components.json',
    {
      schema: {
        summary: 'The public components and their states',
        response: { 200: ComponentsJson, 304: NotModified },
      },
    },
    async function componentsJson(request, reply) {
      const view = await source.view('monitors')
      const known = view.data !== undefined
      const stateKey = `${view.updatedAt ?? ''}|${String(view.stale)}|${String(known)}`
      const served = formats.json('components.json', stateKey, known, view.asOf, () => ({
        components: catalog.list(view).map(({ id, name, state }) => ({ id, name, status: state })),
        updatedAt: view.updatedAt,
        stale: view.stale,
      }))
      return sendRepresentation(request, reply, served)
    },
  )
}
