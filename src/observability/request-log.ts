import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'

/**
 * Fastify's request lines, one per request and at debug: Fastify's default
 * (two lines at info) halved the badge throughput, and even one line costs
 * up to a third more CPU per request (bench/throughput.mjs), besides
 * flooding the logs of a busy embed. Errors keep Fastify's own levels.
 */
export class DebugRequestLog extends LogController {
  override incomingRequest(): void {
    // The completion line says it all.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      super.requestCompleted(error, request, reply)
      return
    }
    if (reply.log.level !== 'debug' && reply.log.level !== 'trace') return
    // The request id here, not in a child logger made for every request (src/app.ts).
    reply.log.debug(
      { reqId: request.id, req: request, res: reply, responseTime: reply.elapsedTime },
      'request completed',
    )
  }
}
