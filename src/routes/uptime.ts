import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { BadgeFormats } from '../badge/formats.js'
import { BadgeQuery } from '../badge/params.js'
import { UPTIME_LABEL, uptimeBadge } from '../badge/subjects.js'
import { sendRepresentation } from '../http/send.js'
import type { SnapshotSource } from '../status/source.js'
import { NotModified, ShieldsEndpointJson, SvgBody, UptimeBadgeJson } from './schemas.js'
import { svgParams } from './svg-params.js'

export interface UptimeRouteOptions {
  readonly source: SnapshotSource
  readonly formats: BadgeFormats
}

/** The uptime badge as an image, from uptime_percentage in GET /status. */
export const uptimeSvgRoutes: FastifyPluginAsyncTypebox<UptimeRouteOptions> = async (app, { source, formats }) => {
  app.get(
    '/uptime/badge.svg',
    {
      schema: { summary: 'Uptime badge', querystring: BadgeQuery, response: { 200: SvgBody, 304: NotModified } },
      attachValidation: true,
    },
    async function uptimeBadgeSvg(request, reply) {
      const params = svgParams(request)
      if (typeof params === 'string')
        return sendRepresentation(request, reply, formats.errorSvg('uptime/badge.svg', UPTIME_LABEL, params))
      const view = await source.view('status')
      return sendRepresentation(
        request,
        reply,
        formats.svg('uptime/badge.svg', uptimeBadge(view).face, params, view.asOf),
      )
    },
  )
}

/** The uptime as JSON and as shields.io endpoint JSON. */
export const uptimeJsonRoutes: FastifyPluginAsyncTypebox<UptimeRouteOptions> = async (app, { source, formats }) => {
  app.get(
    '/uptime/badge.json',
    { schema: { summary: 'Uptime', response: { 200: UptimeBadgeJson, 304: NotModified } } },
    async function uptimeBadgeJson(request, reply) {
      const view = await source.view('status')
      const { uptime, face } = uptimeBadge(view)
      return sendRepresentation(request, reply, formats.badgeJson('uptime/badge.json', face, view, { uptime }))
    },
  )

  app.get(
    '/uptime/badge.shields.json',
    { schema: { summary: 'Uptime for shields.io', response: { 200: ShieldsEndpointJson, 304: NotModified } } },
    async function uptimeBadgeShields(request, reply) {
      const view = await source.view('status')
      return sendRepresentation(
        request,
        reply,
        formats.shields('uptime/badge.shields.json', uptimeBadge(view).face, view.asOf),
      )
    },
  )
}
