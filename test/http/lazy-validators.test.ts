import ajvCompiler from '@fastify/ajv-compiler'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { lazyValidators } from '../../src/http/lazy-validators.js'

describe('lazyValidators', () => {
  it('compiles a route schema when a request first needs it, once, and validates as Fastify does', async () => {
    const compiled: string[] = []
    const build = ajvCompiler()
    const app = Fastify({
      schemaController: {
        compilersFactory: {
          buildValidator: lazyValidators((schemas, options) => {
            const compile = build(schemas, options)
            return (route) => {
              compiled.push(route.url ?? '')
              return compile(route)
            }
          }),
        },
      },
    })
    const querystring = {
      type: 'object',
      properties: { n: { type: 'integer', maximum: 9 } },
      additionalProperties: false,
    } as const
    for (const url of ['/a', '/b']) app.get(url, { schema: { querystring } }, (request) => request.query)
    await app.ready()
    expect(compiled).toEqual([])

    const ok = await app.inject('/a?n=7')
    expect(ok.json()).toEqual({ n: 7 })
    const bad = await app.inject('/a?n=12')
    expect(bad.statusCode).toBe(400)
    expect(bad.json<{ message: string }>().message).toBe('querystring/n must be <= 9')
    expect((await app.inject('/a?x=1')).json()).toEqual({})
    expect(compiled).toEqual(['/a'])
    await app.close()
  })
})
