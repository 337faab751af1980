/** What a badge SVG says, read the way a person would: its texts and fills, not its bytes. */
export interface SvgFacts {
  readonly ariaLabel: string | undefined
  readonly texts: string[]
  readonly messageFill: string | undefined
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')

export function svgFacts(svg: string): SvgFacts {
  const ariaLabel = /aria-label="([^"]*)"/.exec(svg)?.[1]
  // The visible texts: badge-maker draws each twice more as a shadow (aria-hidden).
  const texts = [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)]
    .filter((m) => !(m[1] ?? '').includes('fill-opacity'))
    .map((m) => decode(m[2] ?? ''))
  const fill = /<rect x="\d+" width="\d+" height="\d+" fill="(#[0-9a-f]+|[a-z]+)"/.exec(svg)?.[1]
  const messageFill = fill?.length === 4 ? fill.replace(/[0-9a-f]/g, '$&$&') : fill
  return { ariaLabel: ariaLabel === undefined ? undefined : decode(ariaLabel), texts, messageFill }
}
