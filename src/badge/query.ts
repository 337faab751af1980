import type { FastifyRequest } from 'fastify'
import type { FromSchema } from 'json-schema-to-ts'
import { BADGE_COLORS } from './colors.js'
import type { BadgeError } from './faces.js'
import { BADGE_STYLES, type BadgeStyle } from './render.js'

/** badge-maker's colour names and the aliases it accepts (its lib/color.js). */
export const COLOR_NAMES = [
  ...Object.keys(BADGE_COLORS),
  'gray',
  'lightgray',
  'critical',
  'important',
  'success',
  'informational',
  'inactive',
]

/** A colour name, or 3/6-digit hex with or without "#" (sent as %23), as shields.io takes it. */
const COLOR_PATTERN = `^(#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})|${COLOR_NAMES.join('|')})$`
/** No control characters or noncharacters: they cannot appear in an SVG (XML) document. */
const TEXT_PATTERN = '^[^\\u0000-\\u001f\\u007f\\ufffe\\uffff]*$'
export const MAX_LABEL_LENGTH = 64

/** Query parameters of the image routes; any others are ignored. */
export const BADGE_QUERY = {
  type: 'object',
  properties: {
    style: { type: 'string', enum: BADGE_STYLES },
    label: { type: 'string', maxLength: MAX_LABEL_LENGTH, pattern: TEXT_PATTERN },
    labelColor: { type: 'string', pattern: COLOR_PATTERN },
    color: { type: 'string', pattern: COLOR_PATTERN },
  },
} as const

export type BadgeQuery = FromSchema<typeof BADGE_QUERY>

/** The query parameters of an image, in canonical form. */
export interface BadgeOptions {
  readonly style: BadgeStyle | undefined
  /** "" hides the left-hand side. */
  readonly label: string | undefined
  readonly labelColor: string | undefined
  readonly color: string | undefined
  /** Canonical form, "" when none: the same badge for the same parameters in any order. */
  readonly key: string
}

export const NO_OPTIONS: BadgeOptions = {
  style: undefined,
  label: undefined,
  labelColor: undefined,
  color: undefined,
  key: '',
}

function normalColor(color: string | undefined): string | undefined {
  if (color === undefined) return undefined
  const hex = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.exec(color)?.[1]
  return hex ? `#${hex.toLowerCase()}` : color
}

/** Validated query → options; the plain badge (no parameter) is one shared object. */
export function badgeOptions(query: BadgeQuery): BadgeOptions {
  if (
    query.style === undefined &&
    query.label === undefined &&
    query.labelColor === undefined &&
    query.color === undefined
  ) {
    return NO_OPTIONS
  }
  const style = query.style === 'flat' ? undefined : query.style
  const labelColor = normalColor(query.labelColor)
  const color = normalColor(query.color)
  const parts = { style, label: query.label, labelColor, color }
  const key = Object.entries(parts)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value ?? '')}`)
    .join('&')
  return key ? { ...parts, key: `?${key}` } : NO_OPTIONS
}

/** The style of an error badge: the one asked for, when it is itself valid. */
export function requestedStyle(query: unknown): BadgeStyle | undefined {
  const style = (query as { style?: unknown } | undefined)?.style
  return (BADGE_STYLES as readonly unknown[]).includes(style) && style !== 'flat' ? (style as BadgeStyle) : undefined
}

/**
 * What a failed route validation means for a badge: a bad parameter names
 * itself ("invalid style"); a bad :id cannot be a component ("not found").
 */
export function validationReason(error: NonNullable<FastifyRequest['validationError']>): BadgeError {
  if (error.validationContext === 'params') return 'not found'
  const first: { instancePath?: string } | undefined = (error.validation as Array<{ instancePath?: string }>)[0]
  switch (first?.instancePath) {
    case '/style':
      return 'invalid style'
    case '/label':
      return 'invalid label'
    case '/labelColor':
      return 'invalid labelColor'
    case '/color':
      return 'invalid color'
    default:
      return 'invalid request'
  }
}
