import ajvCompiler from '@fastify/ajv-compiler'

type ValidatorFactory = ajvCompiler.ValidatorFactory
type Validate = ReturnType<ReturnType<ValidatorFactory>>

/**
 * Fastify's own validator compiler (@fastify/ajv-compiler, with the `ajv`
 * server options), made lazy: a route's schemas are compiled the first time
 * a request needs them, not all at start. Every route has a schema, and most
 * deployments use a few of them (the badge formats, subjects and documents
 * make dozens), so compiling all at start held some MB of generated code
 * that nobody called. The schemas are fixed and every route's are exercised
 * by the tests, so a compile error would still show there, not in
 * production.
 */
export function lazyValidators(build: ValidatorFactory = ajvCompiler()): ValidatorFactory {
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options)
    return (route) => {
      let compiled: Validate | undefined
      // Fastify reads `errors` from the function it called, and passes ajv's
      // data context (for coercion in place) when the function has a schemaEnv,
      // as every ajv validator does.
      const validate = ((data: unknown, context?: unknown) => {
        compiled ??= compile(route)
        const valid = (compiled as (data: unknown, context?: unknown) => boolean)(data, context)
        validate.errors = compiled.errors
        return valid
      }) as Validate
      Object.defineProperty(validate, 'schemaEnv', { get: () => (compiled ??= compile(route)).schemaEnv })
      return validate
    }
  }
}
