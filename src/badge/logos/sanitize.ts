import { SaxesParser, type SaxesTagNS } from 'saxes'
import { escapeXml } from './xml.js'

const SVG_NS = 'http://www.w3.org/2000/svg'

/** Elements that draw, group or paint, and nothing else: no <image>, <use>, <a>, <text>, <style>, <script>, <foreignObject>, animation or filter. */
const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
])

/** Geometry and paint, as attributes or as `style` declarations. No href of any kind, no event handler. */
const ATTRIBUTES = new Set([
  'id',
  'd',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'width',
  'height',
  'points',
  'viewBox',
  'preserveAspectRatio',
  'transform',
  'gradientTransform',
  'gradientUnits',
  'spreadMethod',
  'offset',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-opacity',
  'opacity',
  'stop-color',
  'stop-opacity',
  'clip-path',
  'clip-rule',
  'mask',
  'visibility',
])

/** Numbers, colours, transforms, path data: letters, digits and punctuation without quotes, "<", "&" or "\". */
const SAFE_VALUE = /^[A-Za-z0-9#%.,;:()\-+\s]*$/
/** The one reference kept: to an element of the same logo. */
const LOCAL_URL = /^url\(\s*#[A-Za-z_][\w.-]*\s*\)$/
const ID = /^[A-Za-z_][\w.-]*$/
const MAX_DEPTH = 32
const MAX_ELEMENTS = 2000

function safeValue(name: string, value: string): string | undefined {
  const trimmed = value.trim()
  if (!SAFE_VALUE.test(trimmed)) return undefined
  if (name === 'id') return ID.test(trimmed) ? trimmed : undefined
  if (/url\(/i.test(trimmed) && !LOCAL_URL.test(trimmed)) return undefined
  if (/(javascript|data|expression)\s*:/i.test(trimmed)) return undefined
  return trimmed
}

/** An element's attributes that survive, `style` declarations included, in document order. */
function keptAttributes(tag: SaxesTagNS): Array<[string, string]> {
  const kept = new Map<string, string>()
  for (const attribute of Object.values(tag.attributes)) {
    // Only attributes in no namespace: xlink:href, xml:base and the like are dropped.
    if (attribute.uri !== '') continue
    if (attribute.local === 'style') {
      for (const declaration of attribute.value.split(';')) {
        const colon = declaration.indexOf(':')
        const name = declaration.slice(0, colon).trim()
        const value = safeValue(name, declaration.slice(colon + 1))
        if (colon > 0 && ATTRIBUTES.has(name) && name !== 'id' && value !== undefined && !kept.has(name)) {
          kept.set(name, value)
        }
      }
      continue
    }
    if (!ATTRIBUTES.has(attribute.local)) continue
    const value = safeValue(attribute.local, attribute.value)
    if (value !== undefined) kept.set(attribute.local, value)
  }
  return [...kept]
}

/**
 * An SVG logo reduced to drawing elements: parsed as XML (no DTD), its root
 * an <svg> in the SVG namespace, every other element kept only when it draws
 * or paints, every attribute only when it is geometry or paint with a plain
 * value (a url() only to #an-id of its own). Dropped elements take their
 * children with them. Undefined when it is not such an SVG. `fill` sets the
 * colour of shapes that name none (logoColor).
 */
export function sanitizeSvg(source: string, fill?: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true, position: false })
  let out = ''
  let failed = false
  let depth = 0
  let elements = 0
  /** Depth at which a dropped element began; its subtree is dropped too. */
  let droppedAt = -1
  let root = false as boolean

  parser.on('error', () => {
    failed = true
  })
  parser.on('doctype', () => {
    failed = true
  })
  parser.on('opentag', (tag: SaxesTagNS) => {
    depth++
    elements++
    if (failed || depth > MAX_DEPTH || elements > MAX_ELEMENTS) {
      failed = true
      return
    }
    if (depth === 1) {
      if (tag.uri !== SVG_NS || tag.local !== 'svg') {
        failed = true
        return
      }
      root = true
    }
    if (droppedAt >= 0) return
    if (tag.uri !== SVG_NS || !ELEMENTS.has(tag.local) || (depth > 1 && tag.local === 'svg')) {
      droppedAt = depth
      return
    }
    const attributes = keptAttributes(tag)
    if (depth === 1) {
      attributes.unshift(['xmlns', SVG_NS])
      if (fill !== undefined) {
        const own = attributes.findIndex(([name]) => name === 'fill')
        if (own >= 0) attributes.splice(own, 1)
        attributes.push(['fill', fill])
      }
    }
    out += `<${tag.local}${attributes.map(([name, value]) => ` ${name}="${escapeXml(value)}"`).join('')}>`
  })
  parser.on('closetag', (tag: SaxesTagNS) => {
    if (droppedAt < 0) out += `</${tag.local}>`
    else if (droppedAt === depth) droppedAt = -1
    depth--
  })
  try {
    parser.write(source).close()
  } catch {
    failed = true
  }
  return failed || !root ? undefined : out
}
