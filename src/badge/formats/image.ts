import type { FastifyRequest } from 'fastify'
import type { Logos } from '../logos/logos.js'
import type { BadgeError } from '../faces.js'
import { badgeOptions, IMAGE_QUERY, querySchema, validationReason, type BadgeOptions, type Query } from '../query.js'
import type { BadgeSpec } from '../render.js'
import type { Badge, Subject } from '../subject.js'
import { DARK_LABEL_COLOR, themed } from '../themes.js'

/** The query schema of a subject's image routes (.svg, .png). */
export const imageQuery = (subject: Subject) => querySchema(IMAGE_QUERY, subject.query)

/** An image route's options: its validated query in canonical form, or why it failed. */
export function imageOptions(request: FastifyRequest): BadgeOptions | BadgeError {
  if (request.validationError) return validationReason(request.validationError)
  return badgeOptions(request.query as Query)
}

/** A badge's words and colours with the request's choices and theme applied (errors never come here). */
export function imageSpec(badge: Badge, options: BadgeOptions, logo: string | undefined): BadgeSpec {
  const { state } = badge
  const message = (state && options.words.messages[state]) ?? badge.message
  // An unknown badge keeps its grey whatever `color` asked; `unknownColor` is asked for it alone.
  const color = (state && options.words.colors[state]) ?? (badge.known ? options.color : undefined) ?? badge.color
  const labelColor = options.labelColor ?? (options.theme === 'dark' ? DARK_LABEL_COLOR : undefined)
  return {
    label: options.label ?? badge.label,
    message,
    color: themed(color, options.theme),
    labelColor: labelColor === undefined ? undefined : themed(labelColor, options.theme),
    style: options.style,
    logo,
  }
}

/** What names a spec's bytes: its fields, the logo by its key (the data URL follows from it). */
export function specKey(spec: BadgeSpec, options: BadgeOptions): string {
  const logo = options.logo ? `${options.logo.key}\n${options.logoColor ?? ''}` : ''
  return `${spec.label}\n${spec.message}\n${spec.color}\n${spec.labelColor ?? ''}\n${spec.style ?? ''}\n${logo}`
}

/**
 * The spec of an image, its logo resolved first when it has one (which may
 * read the icon set, once): "invalid logo" when there is no such icon or no
 * drawable SVG in the data.
 */
export function withLogo<T>(
  logos: Logos,
  badge: Badge,
  options: BadgeOptions,
  then: (spec: BadgeSpec) => T,
): T | BadgeError | Promise<T | BadgeError> {
  if (!options.logo) return then(imageSpec(badge, options, undefined))
  return logos
    .resolve(options.logo, options.logoColor)
    .then((logo) => (logo === undefined ? 'invalid logo' : then(imageSpec(badge, options, logo))))
}
