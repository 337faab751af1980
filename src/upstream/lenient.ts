import { z } from 'zod'
import { COMPONENT_ID } from '../ids.js'

/**
 * Field readers that tolerate the upstream's PHP/MySQL habits
 * (../shared/upstream-api.md, "Unknown or ambiguous"): numbers as numeric
 * strings, flags as 0/1/"1"/booleans, ids as numbers or strings, three
 * timestamp styles, null or "" for absent. A value that is present but
 * unusable counts as missing: the payload stays usable, and the status model
 * decides what missing means.
 */
function isBlank(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '')
}

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (isBlank(v) ? undefined : v), schema.optional()).catch(undefined)
}

const NUMBER_TEXT = /^[+-]?\d+(\.\d+)?$/

const numeric = z.union([z.number(), z.string().trim().regex(NUMBER_TEXT).transform(Number)])

export const count = optional(numeric.pipe(z.number().int().nonnegative()))

export const percentage = optional(
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^\d+(\.\d+)?\s*%?$/)
        .transform((s) => Number.parseFloat(s)),
    ])
    .pipe(z.number().min(0).max(100)),
)

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on'])
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off'])

export const flag = optional(
  z.union([
    z.boolean(),
    z.literal(0).transform(() => false),
    z.literal(1).transform(() => true),
    z
      .string()
      .trim()
      .toLowerCase()
      .refine((s) => TRUE_WORDS.has(s) || FALSE_WORDS.has(s))
      .transform((s) => TRUE_WORDS.has(s)),
  ]),
)

export const text = optional(z.union([z.string().trim(), z.number().transform(String)]))

/** Ids become part of public URLs (/components/:id), so only URL-safe ones are kept. */
export const id = z.union([z.number().int().nonnegative().transform(String), z.string().trim().regex(COMPONENT_ID)])

const ZONELESS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/
const ISO_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/**
 * ISO with an offset, ISO with Z, or zone-less `YYYY-MM-DD HH:MM:SS`, which
 * is read as UTC (the vendor names no zone). Returns ISO 8601 in UTC.
 */
export function parseUpstreamTime(value: string): string | undefined {
  const trimmed = value.trim()
  const zoneless = ZONELESS.exec(trimmed)
  const iso = zoneless ? `${zoneless[1] ?? ''}T${zoneless[2] ?? ''}Z` : trimmed
  if (!ISO_START.test(iso)) return undefined
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

export const timestamp = optional(
  z
    .string()
    .transform((s) => parseUpstreamTime(s))
    .pipe(z.string()),
)

/** `success` as true, 1, "1" or "true". */
export const successFlag = z.union([z.literal(true), z.literal(1), z.literal('1'), z.literal('true')])
