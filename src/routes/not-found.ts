import type { FastifyInstance } from 'fastify'
import type { BadgeFormats } from '../badge/formats.js'
import { sendRepresentation, sendStatus } from '../http/send.js'

/**
 * Unknown URLs answer in the format they ask for: an image for *.svg (a
 * typo in an <img> shows "not found", not a broken image), shields' JSON for
 * *.shields.json, else a JSON 404.
 */
export function setNotFound(app: FastifyInstance, formats: BadgeFormats, label: string): void {
  app.setNotFoundHandler(function notFound(request, reply) {
    const readable = request.method === 'GET' || request.method === 'HEAD'
    const path = request.url.split('?')[0] ?? ''
    if (readable && path.endsWith('.svg'))
      return sendRepresentation(request, reply, formats.errorSvg(label, 'not found'))
    if (readable && path.endsWith('.shields.json')) {
      return sendRepresentation(request, reply, formats.errorShields(label, 'not found'))
    }
    return sendStatus(request, reply, 404, formats.errorJson('not found'))
  })
}
