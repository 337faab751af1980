import { loadBadgeMaker } from './text-widths.js'

type MakeBadge = (typeof import('badge-maker'))['makeBadge']
let makeBadge: MakeBadge | undefined

/**
 * badge-maker, loaded on the first badge drawn (with its text-width tables
 * read font by font: ./text-widths.ts), so a replica asked only for JSON
 * never holds them. It is an ES module without top-level await, which
 * require() loads synchronously (Node >= 22.12), so the first render needs
 * no await.
 */
function badgeMaker(): MakeBadge {
  makeBadge ??= loadBadgeMaker().makeBadge
  return makeBadge
}

export const BADGE_STYLES = ['flat', 'flat-square', 'plastic', 'for-the-badge', 'social'] as const
export type BadgeStyle = (typeof BADGE_STYLES)[number]

export interface BadgeSpec {
  readonly label: string
  readonly message: string
  /** A badge-maker colour name or a CSS colour. */
  readonly color: string
  readonly labelColor?: string | undefined
  readonly style?: BadgeStyle | undefined
  /** A logo as a data URL (./logos/logos.ts made it safe to draw). */
  readonly logo?: string | undefined
}

export const SVG_CONTENT_TYPE = 'image/svg+xml; charset=utf-8'
/** Upstream names can be anything: a badge shows at most this many characters of one. */
export const MAX_TEXT_CHARS = 64

/**
 * Text fit for a badge: control characters and U+FFFE/U+FFFF (not allowed in XML) become
 * spaces, and an overlong text is cut with an ellipsis. badge-maker escapes
 * the rest (&, <, quotes).
 */
export function badgeText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = text.replace(/[\u0000-\u001f\u007f\ufffe\uffff]+/g, ' ')
  const chars = Array.from(clean)
  return chars.length > MAX_TEXT_CHARS ? `${chars.slice(0, MAX_TEXT_CHARS - 1).join('')}…` : clean
}

/** The same spec gives the same bytes: badge-maker's ids are fixed, not random. */
export function renderSvg(spec: BadgeSpec): string {
  return badgeMaker()({
    label: badgeText(spec.label),
    message: badgeText(spec.message),
    color: spec.color,
    style: spec.style ?? 'flat',
    ...(spec.labelColor !== undefined && { labelColor: spec.labelColor }),
    ...(spec.logo !== undefined && { logoBase64: spec.logo }),
  })
}
