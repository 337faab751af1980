const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
}

/** A template tag that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

export function html(strings: TemplateStringsArray, ...values: ReadonlyArray<Html | string | number | Html[]>): Html {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    const text = Array.isArray(value)
      ? value.map((part) => part.value).join('')
      : value instanceof Html
        ? value.value
        : escapeHtml(String(value))
    out += text + (strings[i + 1] ?? '')
  })
  return new Html(out)
}
