import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { StatusRepresentations } from '../badge/status-representations.js'
import { sendRepresentation } from '../http/send.js'
import { STATUS_KEYS } from '../status/overall.js'
import type { SnapshotSource } from '../status/source.js'

export const StatusBadgeJson = Type.Object(
  {
    status: Type.Union(STATUS_KEYS.map((key) => Type.Literal(key))),
    label: Type.String(),
    message: Type.String(),
    color: Type.String({ pattern: '^#[0-9a-f]{6}$', description: 'CSS hex colour' }),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'ISO time of the last successful poll; null before one',
    }),
    stale: Type.Boolean({ description: 'true while the latest poll of the upstream failed' }),
  },
  { additionalProperties: false },
)

const SvgBody = Type.String({ description: 'image/svg+xml badge' })
const NotModified = Type.Null({ description: 'Not modified: same ETag, no body' })

export interface BadgeRouteOptions {
  readonly source: SnapshotSource
  readonly representations: StatusRepresentations
}

/** The overall badge. Handlers only pick a prepared representation and send it. */
export const badgeRoutes: FastifyPluginAsyncTypebox<BadgeRouteOptions> = async (app, { source, representations }) => {
  app.get(
    '/badge.svg',
    { schema: { summary: 'Overall status badge (SVG)', response: { 200: SvgBody, 304: NotModified } } },
    async function statusBadgeSvg(request, reply) {
      return sendRepresentation(request, reply, representations.svg(await source.view('status')))
    },
  )

  app.get(
    '/badge.json',
    { schema: { summary: 'Overall status (JSON)', response: { 200: StatusBadgeJson, 304: NotModified } } },
    async function statusBadgeJson(request, reply) {
      return sendRepresentation(request, reply, representations.json(await source.view('status')))
    },
  )
}
