import { CSS_COLORS } from './css-colors.js'

/**
 * badge-maker's named colours (its lib/color.js, not exported), as 6-digit
 * CSS hex for JSON consumers. test/badge/colors.test.ts renders each one and
 * checks the SVG's fill, so a badge-maker upgrade cannot drift silently.
 */
export const BADGE_COLORS = {
  brightgreen: '#44bb00',
  green: '#67ac09',
  yellowgreen: '#95991a',
  yellow: '#d8b800',
  orange: '#ea7233',
  red: '#dd4343',
  blue: '#007ec6',
  grey: '#555555',
  lightgrey: '#939393',
} as const

export type BadgeColor = keyof typeof BADGE_COLORS

/** The other names badge-maker takes (its lib/color.js), and the colour each stands for. */
export const COLOR_ALIASES: Readonly<Record<string, BadgeColor>> = {
  gray: 'grey',
  lightgray: 'lightgrey',
  critical: 'red',
  important: 'orange',
  success: 'brightgreen',
  informational: 'blue',
  inactive: 'lightgrey',
}

/** badge-maker's colour names, the aliases it accepts, and the other CSS colour names (black, white, navy…). */
export const COLOR_NAMES = [...Object.keys(BADGE_COLORS), ...Object.keys(COLOR_ALIASES), ...Object.keys(CSS_COLORS)]

/** A colour name (in lower case), or 3/6-digit hex with or without "#" (sent as %23), as shields.io takes it. */
export const COLOR_PATTERN = `^(#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})|${COLOR_NAMES.join('|')})$`

const HEX = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/

/**
 * A colour as written (name, alias, hex with or without "#") in one form: a
 * name, or "#" and six lower-case hex digits (so "F80" and "#ff8800" are one
 * badge, one cache entry).
 */
export function normalColor(color: string): string {
  const hex = HEX.exec(color)?.[1]?.toLowerCase()
  if (hex) return `#${hex.length === 3 ? hex.replace(/./g, '$&$&') : hex}`
  return COLOR_ALIASES[color] ?? color
}

/** A colour that COLOR_PATTERN accepts, as 6-digit CSS hex (JSON, SVG fills). */
export function cssHex(color: string): string {
  const normal = normalColor(color)
  return normal in BADGE_COLORS ? BADGE_COLORS[normal as BadgeColor] : (CSS_COLORS[normal] ?? normal)
}
