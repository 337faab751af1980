// Bare Fastify answering one route with fixed bytes and headers: the
// framework's limit for an answer, for bench/throughput.mjs.
//   BARE_ANSWERS  JSON [{ path, body, headers }] (the service's own answers, copied)
//   PORT          where to listen (0: any); the URL is printed as JSON on stdout
// A request whose If-None-Match equals the answer's ETag gets a 304 with the
// same headers and no body, as the service answers it.
import Fastify from 'fastify'

const answers = JSON.parse(process.env.BARE_ANSWERS ?? '[]')
const app = Fastify()
for (const { path, body, headers } of answers) {
  const etag = headers.etag
  app.get(path, (request, reply) => {
    if (etag !== undefined && request.headers['if-none-match'] === etag) return reply.code(304).headers(headers).send()
    return reply.headers(headers).send(body)
  })
}
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) })
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${app.server.address().port}` })}\n`)
process.on('SIGTERM', () => process.exit(0))
