import { cssHex } from '../colors.js'
import { DATA_LOGO_PREFIX, MAX_LOGO_BYTES, type LogoRequest } from '../query.js'
import { escapeXml } from './xml.js'
import { createIconSet, type IconSet } from './icons.js'

/** simple-icons logos are drawn in this colour unless logoColor says otherwise (as on shields.io). */
export const DEFAULT_ICON_COLOR = '#f5f5f5'

const asDataUrl = (svg: string) => `${DATA_LOGO_PREFIX}${Buffer.from(svg).toString('base64')}`

/**
 * Logos for badge-maker, as the data URL it draws in an <image>: a
 * simple-icons slug becomes its path in logoColor; an SVG given as data is
 * reduced to drawing elements first (./sanitize.ts, loaded with the first
 * such logo). Undefined when there is no such icon or the data is no SVG
 * that can be drawn.
 */
export function createLogos(icons: IconSet = createIconSet()) {
  let sanitizer: Promise<typeof import('./sanitize.js')> | undefined

  return {
    async resolve(logo: LogoRequest, logoColor: string | undefined): Promise<string | undefined> {
      if (logo.kind === 'icon') {
        const path = await icons.path(logo.slug)
        if (path === undefined) return undefined
        const fill = logoColor === undefined ? DEFAULT_ICON_COLOR : cssHex(logoColor)
        return asDataUrl(
          `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="${fill}" d="${escapeXml(path)}"/></svg>`,
        )
      }
      const bytes = Buffer.from(logo.base64, 'base64')
      // Node's decoder skips what is not base64; the schema let through only what is.
      if (bytes.length === 0 || bytes.length > MAX_LOGO_BYTES) return undefined
      const { sanitizeSvg } = await (sanitizer ??= import('./sanitize.js'))
      const svg = sanitizeSvg(bytes.toString('utf8'), logoColor === undefined ? undefined : cssHex(logoColor))
      return svg === undefined ? undefined : asDataUrl(svg)
    },
  }
}

export type Logos = ReturnType<typeof createLogos>
