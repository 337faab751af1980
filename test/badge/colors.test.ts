import { makeBadge } from 'badge-maker'
import { describe, expect, it } from 'vitest'
import { BADGE_COLORS, COLOR_ALIASES, COLOR_PATTERN, cssHex } from '../../src/badge/colors.js'
import { CSS_COLORS } from '../../src/badge/css-colors.js'

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

describe('CSS_COLORS', () => {
  it.each(Object.keys(CSS_COLORS))('%s is drawn by badge-maker as given, and is none of its own names', (name) => {
    const svg = makeBadge({ label: 'l', message: 'm', color: name })
    expect(svg).toContain(`fill="${name}"`)
    expect(Object.keys(BADGE_COLORS)).not.toContain(name)
    expect(Object.keys(COLOR_ALIASES)).not.toContain(name)
  })

  it('has the CSS hex of each name', () => {
    expect(Object.keys(CSS_COLORS)).toHaveLength(138)
    expect(CSS_COLORS).toMatchObject({
      black: '#000000',
      white: '#ffffff',
      navy: '#000080',
      rebeccapurple: '#663399',
      darkgreen: '#006400',
    })
    for (const hex of Object.values(CSS_COLORS)) expect(hex).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('is taken by the colour rule, in lower case only, and written as hex for JSON', () => {
    const rule = new RegExp(COLOR_PATTERN)
    expect(rule.test('black')).toBe(true)
    expect(rule.test('Black')).toBe(false)
    expect(rule.test('blackish')).toBe(false)
    expect(cssHex('black')).toBe('#000000')
    expect(cssHex('green')).toBe(BADGE_COLORS.green)
  })
})
