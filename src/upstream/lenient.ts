import { COMPONENT_ID } from '../status/ids.js'

/**
 * Field readers that tolerate the upstream's PHP/MySQL habits
 * (../shared/upstream-api.md, "Unknown or ambiguous"): numbers as numeric
 * strings, flags as 0/1/"1"/booleans, ids as numbers or strings, three
 * timestamp styles, null or "" for absent. A value that is present but
 * unusable reads as undefined: the payload stays usable, and the status model
 * decides what missing means. The payload's shape is checked first, by
 * src/upstream/schema.ts.
 */

const NUMBER_TEXT = /^[+-]?\d+(\.\d+)?$/

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return NUMBER_TEXT.test(trimmed) ? Number(trimmed) : undefined
}

/** A count: a whole number from 0. */
export function count(value: unknown): number | undefined {
  const n = numeric(value)
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined
}

/** A percentage from 0 to 100, "99.95" and "99.95%" included. */
export function percentage(value: unknown): number | undefined {
  const n =
    typeof value === 'string' && /^\s*\d+(\.\d+)?\s*%?\s*$/.test(value)
      ? Number.parseFloat(value)
      : typeof value === 'number'
        ? value
        : undefined
  return n !== undefined && Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on'])
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off'])

/** A flag: true/false, 1/0, or the words for them. */
export function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === 1 || value === 0) return value === 1
  if (typeof value !== 'string') return undefined
  const word = value.trim().toLowerCase()
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined
}

/** Text from a string or a number; blank is absent. */
export function text(value: unknown): string | undefined {
  const read = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined
  return read === '' ? undefined : read
}

/** Ids become part of public URLs (/components/:id), so only URL-safe ones are kept. */
export function id(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return COMPONENT_ID.test(trimmed) ? trimmed : undefined
}

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

export function timestamp(value: unknown): string | undefined {
  return typeof value === 'string' ? parseUpstreamTime(value) : undefined
}
