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
