/**
 * A component (monitor) id as it may appear in a public URL,
 * /components/:id/badge.svg: letters, digits, "-" and "_", at most 64.
 */
export const COMPONENT_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$'
export const COMPONENT_ID = new RegExp(COMPONENT_ID_PATTERN)
