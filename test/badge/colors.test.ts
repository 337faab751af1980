import { makeBadge } from 'badge-maker'
import { describe, expect, it } from 'vitest'
import { BADGE_COLORS } from '../../src/badge/colors.js'

/** "#4b0" → "#44bb00". */
function sixDigits(hex: string): string {
  return hex.length === 4 ? hex.replace(/[0-9a-f]/g, '$&$&') : hex
}

describe('BADGE_COLORS', () => {
  it.each(Object.entries(BADGE_COLORS))('%s is the fill badge-maker draws (%s)', (name, hex) => {
    const svg = makeBadge({ label: 'l', message: 'm', color: name })
    const fills = [...svg.matchAll(/<rect x="\d+" width="\d+" height="20" fill="(#[0-9a-f]+)"/g)].map((m) => m[1] ?? '')
    expect(fills.map(sixDigits)).toEqual([hex])
  })
})
