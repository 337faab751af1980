import fastJson, { type Schema } from 'fast-json-stringify'

/**
 * Fastify's serializer (fast-json-stringify) for a response schema: a body
 * is written field by field as the schema says, a required field missing
 * throws, and a field the schema does not name is left out.
 */
export function serializer(schema: object): (document: unknown) => string {
  // Compiled on first use: a route nobody asks for costs no generated code.
  let compiled: ((document: unknown) => string) | undefined
  // The schemas here are `as const` literals; fast-json-stringify's types want mutable arrays.
  return (document) => (compiled ??= fastJson(schema as Schema))(document)
}

/**
 * Fastify's serializer compiler, made lazy: a route's response schema is
 * compiled the first time Fastify serialises a body with it. The badge,
 * page and document routes send prepared Buffers, which Fastify never
 * serialises, so their response schemas (which document them, and with
 * which the prepared JSON was written) cost no compiled code at rest.
 */
export function lazySerializerCompiler({ schema }: { schema: unknown }): (data: unknown) => string {
  return serializer(schema as object)
}
