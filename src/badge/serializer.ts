import fastJson, { type Schema } from 'fast-json-stringify'

/**
 * Fastify's serializer (fast-json-stringify) for a response schema: a body
 * is written field by field as the schema says, a required field missing
 * throws, and a field the schema does not name is left out.
 */
export function serializer(schema: object): (document: unknown) => string {
  // The schemas here are `as const` literals; fast-json-stringify's types want mutable arrays.
  return fastJson(schema as Schema)
}
