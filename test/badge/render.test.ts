import { describe, expect, it } from 'vitest'
import { badgeOptions, NO_OPTIONS } from '../../src/badge/query.js'
import { badgeText, MAX_TEXT_CHARS, renderSvg } from '../../src/badge/render.js'
import { svgFacts } from '../svg.js'

describe('badgeText', () => {
  it('turns control characters (not allowed in XML) into spaces', () => {
    expect(badgeText('Web\u0000Server\n\tEU\u007f')).toBe('Web Server EU ')
    expect(badgeText('a\uffffb\ufffe')).toBe('a b ')
  })

  it('cuts an overlong text with an ellipsis, counting characters not UTF-16 units', () => {
    const long = '日'.repeat(100)
    const cut = badgeText(long)
    expect(Array.from(cut)).toHaveLength(MAX_TEXT_CHARS)
    expect(cut.endsWith('…')).toBe(true)
    expect(badgeText('🟢'.repeat(MAX_TEXT_CHARS))).toBe('🟢'.repeat(MAX_TEXT_CHARS))
  })
})

describe('renderSvg', () => {
  it('escapes what it draws and gives the same bytes for the same spec', () => {
    const spec = { label: 'a <b> & "c"', message: "it's up", color: 'brightgreen' }
    const svg = renderSvg(spec)
    expect(svg).toBe(renderSvg(spec))
    expect(svg).not.toContain('<b>')
    expect(svgFacts(svg).texts).toEqual(['a <b> & "c"', "it's up"])
  })
})

describe('badgeOptions', () => {
  it('is NO_OPTIONS without parameters, and for the default style', () => {
    expect(badgeOptions({})).toBe(NO_OPTIONS)
    expect(badgeOptions({ style: 'flat' })).toBe(NO_OPTIONS)
  })

  it('normalises colours: hex with or without #, any case, three digits or six', () => {
    expect(badgeOptions({ color: 'FF8800' }).color).toBe('#ff8800')
    expect(badgeOptions({ color: '#f80' }).color).toBe('#ff8800')
    expect(badgeOptions({ labelColor: 'blue' }).labelColor).toBe('blue')
  })

  it('has one canonical key for the same parameters', () => {
    const a = badgeOptions({ color: 'ff8800', style: 'plastic', label: 'a&b' })
    const b = badgeOptions({ label: 'a&b', style: 'plastic', color: '#FF8800' })
    expect(a.key).toBe(b.key)
    expect(a.key).toBe('?style=plastic&label=a%26b&color=%23ff8800')
  })

  it('keeps an empty label (it hides the left side)', () => {
    expect(badgeOptions({ label: '' })).toMatchObject({ label: '', key: '?label=' })
  })
})
