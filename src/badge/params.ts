import type { FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
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

/** Query parameters of the SVG routes; any others are ignored. */
export const BadgeQuery = Type.Object({
  style: Type.Optional(Type.Enum(BADGE_STYLES)),
  label: Type.Optional(Type.String({ maxLength: MAX_LABEL_LENGTH, pattern: TEXT_PATTERN })),
  labelColor: Type.Optional(Type.String({ pattern: COLOR_PATTERN })),
  color: Type.Optional(Type.String({ pattern: COLOR_PATTERN })),
})

export interface BadgeParams {
  readonly style: BadgeStyle | undefined
  /** "" hides the left-hand side. */
  readonly label: string | undefined
  readonly labelColor: string | undefined
  readonly color: string | undefined
  /** Canonical form, "" when none: the same badge for the same parameters in any order. */
  readonly key: string
}

export const NO_PARAMS: BadgeParams = {
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

export function badgeParams(query: Static<typeof BadgeQuery>): BadgeParams {
  const style = query.style === 'flat' ? undefined : query.style
  const labelColor = normalColor(query.labelColor)
  const color = normalColor(query.color)
  const parts = { style, label: query.label, labelColor, color }
  const key = Object.entries(parts)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value ?? '')}`)
    .join('&')
  return key ? { ...parts, key } : NO_PARAMS
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
