import type { BadgeColor } from './colors.js'

export const THEMES = ['light', 'dark'] as const
export type Theme = (typeof THEMES)[number]

/**
 * `theme=dark`: the named colours in darker, less glaring tones (GitHub's
 * dark "emphasis" palette), each dark enough for white text, and a label
 * side that stands apart from a dark page. Hex colours are drawn as given;
 * error badges keep their own colours.
 */
export const DARK_COLORS: Readonly<Record<BadgeColor, string>> = {
  brightgreen: '#238636',
  green: '#347d39',
  yellowgreen: '#5f7a1e',
  yellow: '#9e6a03',
  orange: '#bd561d',
  red: '#da3633',
  blue: '#1f6feb',
  grey: '#3d444d',
  lightgrey: '#6e7681',
}

/** The label side of a dark badge when no labelColor is asked for. */
export const DARK_LABEL_COLOR = DARK_COLORS.grey

/** A colour (name or "#hex", normalised) in a theme. */
export function themed(color: string, theme: Theme | undefined): string {
  return theme === 'dark' ? ((DARK_COLORS as Readonly<Record<string, string>>)[color] ?? color) : color
}
