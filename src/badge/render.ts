import { makeBadge } from 'badge-maker'

export const BADGE_STYLES = ['flat', 'flat-square', 'plastic', 'for-the-badge', 'social'] as const
export type BadgeStyle = (typeof BADGE_STYLES)[number]

export interface BadgeSpec {
  readonly label: string
  readonly message: string
  /** A badge-maker colour name or a CSS colour. */
  readonly color: string
  readonly labelColor?: string
  readonly style?: BadgeStyle
}

export const SVG_CONTENT_TYPE = 'image/svg+xml; charset=utf-8'

/** badge-maker escapes every text it draws; the output is the same bytes for the same spec. */
export function renderSvg(spec: BadgeSpec): string {
  return makeBadge({
    label: spec.label,
    message: spec.message,
    color: spec.color,
    style: spec.style ?? 'flat',
    ...(spec.labelColor !== undefined && { labelColor: spec.labelColor }),
  })
}
