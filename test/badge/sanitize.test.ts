import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sanitizeSvg } from '../../src/badge/logos/sanitize.js'

const svg = (body: string, attributes = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 24 24"${attributes}>${body}</svg>`

describe('a logo given as data, reduced to drawing elements', () => {
  it('keeps shapes, groups, gradients and their paint', () => {
    const out = sanitizeSvg(
      svg(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>' +
          '<g transform="translate(1 1)"><path d="M0 0h24v24z" fill="url(#g)"/><circle cx="12" cy="12" r="4" style="fill: #0f0; stroke:#000"/></g>',
      ),
    )
    expect(out).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">' +
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"></stop></linearGradient></defs>' +
        '<g transform="translate(1 1)"><path d="M0 0h24v24z" fill="url(#g)"></path><circle cx="12" cy="12" r="4" fill="#0f0" stroke="#000"></circle></g></svg>',
    )
  })

  it.each([
    ['a script', '<script>alert(1)</script>'],
    ['a style sheet', '<style>path{fill:url(https://evil.example/x)}</style>'],
    ['an image', '<image href="https://evil.example/x.png" width="24" height="24"/>'],
    ['an xlink image', '<image xlink:href="file:///etc/passwd" width="24" height="24"/>'],
    ['a foreignObject', '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>'],
    ['a use of another document', '<use href="https://evil.example/sprite.svg#a"/>'],
    ['a link', '<a href="javascript:alert(1)"><path d="M0 0"/></a>'],
    [
      'an animation',
      '<set attributeName="fill" to="red"/><animate attributeName="href" values="javascript:alert(1)"/>',
    ],
    ['a filter', '<filter id="f"><feImage href="https://evil.example/"/></filter>'],
    ['text', '<text>hello</text>'],
    ['a nested svg', '<svg><path d="M0 0"/></svg>'],
  ])('drops %s, and everything inside it', (_what, element) => {
    const out = sanitizeSvg(svg(`<path d="M1 1"/>${element}`)) ?? ''
    expect(out).toBe('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1"></path></svg>')
  })

  it.each([
    ['event attributes', '<path d="M0 0" onclick="alert(1)" onload="alert(1)"/>'],
    ['references elsewhere', '<path d="M0 0" fill="url(https://evil.example/#g)" clip-path="url(data:x)"/>'],
    ['hrefs', '<path d="M0 0" href="#a" xlink:href="#a"/>'],
    ['a style with a URL', '<path d="M0 0" style="fill:url(http://evil.example/)"/>'],
    ['script-like values', '<path d="M0 0" fill="javascript:alert(1)" stroke="&lt;script&gt;"/>'],
    ['unknown attributes', '<path d="M0 0" class="x" data-x="1" xml:base="http://evil.example/"/>'],
  ])('drops %s', (_what, element) => {
    expect(sanitizeSvg(svg(element))).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0"></path></svg>',
    )
  })

  it.each([
    ['not XML', 'hello'],
    ['HTML', '<html><body><svg xmlns="http://www.w3.org/2000/svg"/></body></html>'],
    ['an svg without the SVG namespace', '<svg viewBox="0 0 1 1"><path d="M0 0"/></svg>'],
    ['unclosed', '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0">'],
    [
      'a DTD (entity expansion)',
      '<!DOCTYPE svg [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><path d="&b;"/></svg>',
    ],
    ['an undefined entity', '<svg xmlns="http://www.w3.org/2000/svg"><path d="&x;"/></svg>'],
    ['too deep', svg(`${'<g>'.repeat(40)}${'</g>'.repeat(40)}`)],
  ])('refuses %s', (_what, source) => {
    expect(sanitizeSvg(source)).toBeUndefined()
  })

  it('sets the default fill when a colour is given, over the root own', () => {
    expect(sanitizeSvg(svg('<path d="M0 0"/>', ' fill="red"'), '#123456')).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="#123456"><path d="M0 0"></path></svg>',
    )
  })

  it('never lets through a quote, "<", an href or an event handler, whatever it is given', () => {
    const attribute = fc.constantFrom('d', 'fill', 'style', 'onload', 'href', 'xlink:href', 'id', 'transform')
    const element = fc.constantFrom('path', 'g', 'script', 'image', 'a', 'style', 'rect')
    fc.assert(
      fc.property(element, attribute, fc.string(), (name, attr, value) => {
        const escaped = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
        const out = sanitizeSvg(svg(`<${name} ${attr}="${escaped}"/>`))
        if (out === undefined) return
        expect(out).not.toMatch(/href|on[a-z]+=|<script|<image|<style|<a[ >]/i)
        // Every attribute value is quoted and holds no quote or "<".
        expect(out.replace(/="[^"<]*"/g, '')).not.toMatch(/["']/)
      }),
    )
  })
})
