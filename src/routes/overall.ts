import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { BadgeFormats } from '../badge/formats.js'
import { BadgeQuery } from '../badge/params.js'
import { overallBadge } from '../badge/subjects.js'
import { sendRepresentation } from '../http/send.js'
import type { SnapshotSource } from '../status/source.js'
import { NotModified, ShieldsEndpointJson, StatusBadgeJson, SvgBody } from './schemas.js'
import { svgParams } from './svg-params.js'

export interface BadgeRouteOptions {
  readonly source: SnapshotSource
  readonly formats: BadgeFormats
  readonly label: string
}

/** The overall badge as an image. Handlers pick a prepared representation and send it. */
export const overallSvgRoutes: FastifyPluginAsyncTypebox<BadgeRouteOptions> = async (
  app,
  { source, formats, label },
) => {
  app.get(
    '/badge.svg',
    {
      schema: {
        summary: 'Overall status badge',
        querystring: BadgeQuery,
        response: { 200: SvgBody, 304: NotModified },
      },
      attachValidation: true,
    },
    async function overallBadgeSvg(request, reply) {
      const params = svgParams(request)
      if (typeof params === 'string') {
        return sendRepresentation(request, reply, formats.errorSvg('badge.svg', label, params))
      }
      const view = await source.view('status')
      return sendRepresentation(
        request,
        reply,
        formats.svg('badge.svg', overallBadge(view, label).face, params, view.asOf),
      )
    },
  )
}

/** The overall badge as JSON and as shields.io endpoint JSON. */
export const overallJsonRoutes: FastifyPluginAsyncTypebox<BadgeRouteOptions> = async (
  app,
  { source, formats, label },
) => {
  app.get(
    '/badge.json',
    { schema: { summary: 'Overall status', response: { 200: StatusBadgeJson, 304: NotModified } } },
    async function overallBadgeJson(request, reply) {
      const view = await source.view('status')
      const { status, face } = overallBadge(view, label)
      return sendRepresentation(request, reply, formats.badgeJson('badge.json', face, view, { status }))
    },
  )

  app.get(
    '/badge.shields.json',
    { schema: { summary: 'Overall status for shields.io', response: { 200: ShieldsEndpointJson, 304: NotModified } } },
    async function overallBadgeShields(request, reply) {
      const view = await source.view('status')
      return sendRepresentation(
        request,
        reply,
        formats.shields('badge.shields.json', overallBadge(view, label).face, view.asOf),
      )
    },
  )
}
