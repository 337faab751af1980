import type { Component } from '../status/components.js'
import { BUILDER_SCRIPT, builderSection } from './builder.js'
import { escapeHtml, Html, html } from './html.js'

/** At most this many components are listed; the rest are in /components.json. */
export const MAX_LISTED_COMPONENTS = 100

/** Why the component list may be empty, or what it shows. */
export type ComponentsState =
  | { readonly kind: 'none-public' }
  | { readonly kind: 'not-loaded' }
  | { readonly kind: 'listed'; readonly shown: readonly Component[]; readonly total: number }
  | { readonly kind: 'none-listed'; readonly upstreamCount: number; readonly named: number | '*' }

/** What the page shows about the service, prepared once per snapshot. */
export interface LandingContent {
  /**
   * Prefix of the page's own images and icon: "" (relative, for a page at
   * the service's root or under a proxy prefix ending in "/"), or PUBLIC_URL's
   * path + "/" so that a prefix without its trailing slash still resolves.
   */
  readonly assets: string
  readonly label: string
  readonly components: ComponentsState
  /** Active incidents' titles, with PUBLIC_INCIDENTS; undefined without. */
  readonly incidents: readonly string[] | undefined
  readonly version: string
}

/**
 * The page's live-update script (the builder, ./builder.ts, is the other),
 * allowed by its hash in the CSP: it listens to the
 * live-update stream (GET /events) and reloads the page's badges (and the
 * status line) when the status changes. When the stream is refused (or this
 * browser has no EventSource) it reloads them once a minute instead. The
 * page works without it. `live` is a parameter every badge ignores, so the
 * reloads are served from the badges already prepared.
 */
export const LANDING_SCRIPT = `(() => {
  const images = [...document.querySelectorAll('img[data-live]')]
  const line = document.getElementById('live')
  let stamp = 0
  let connected = false
  const reload = () => {
    stamp += 1
    for (const img of images) {
      const src = img.getAttribute('data-live')
      img.src = src + (src.includes('?') ? '&' : '?') + 'live=' + stamp
    }
  }
  const poll = () => setInterval(reload, 60000)
  if (!('EventSource' in window)) return poll()
  const source = new EventSource(line.getAttribute('data-events'))
  source.addEventListener('status', (event) => {
    const { message, stale } = JSON.parse(event.data)
    line.textContent = 'Live: ' + message + (stale ? ' (stale)' : '')
    // The first event is the state the page was just drawn in.
    if (connected) reload()
    connected = true
  })
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      line.textContent = 'Live updates unavailable: the badges reload every minute.'
      poll()
    }
  })
})()`

/** The page's only style; the CSP allows it by hash. */
export const LANDING_CSS = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:52rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-top:1px solid #d0d7de;padding-top:1rem}
h3{font-size:.85rem;margin:.75rem 0 .25rem;color:#59636e;text-transform:uppercase;letter-spacing:.04em}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem;overflow-x:auto;margin:0}
code{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.badge{margin:.25rem 0 .5rem}.muted{color:#59636e}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #d0d7de}
.dark{background:#0d1117;padding:.4rem .6rem;border-radius:6px;display:inline-block}
form label{margin-right:1rem;white-space:nowrap}input,select,button{font:inherit;font-size:.9rem}h3 button{font-size:.75rem;margin-left:.5rem}
`.trim()

interface Badge {
  readonly title: string
  /** Path relative to the service root, e.g. "badge.svg". */
  readonly svg: string
  readonly json: string
  readonly shields: string
  readonly alt: string
  /** The fields its JSON has, for the fetch snippet. */
  readonly fields: string
}

/**
 * Each snippet is escaped for where it will be pasted (HTML, Markdown,
 * JavaScript); the page then escapes it once more to show it.
 */
export function htmlSnippet(url: string, alt: string): string {
  return `<img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}">`
}

/**
 * Light and dark sources: the browser picks by the reader's colour scheme.
 * GitHub renders this in Markdown too (through its image proxy), following
 * the reader's GitHub theme, where a rule inside an SVG would follow the
 * operating system (and fail in GitHub's mobile app).
 */
export function pictureSnippet(lightUrl: string, darkUrl: string, alt: string): string {
  return [
    '<picture>',
    `  <source media="(prefers-color-scheme: dark)" srcset="${escapeHtml(darkUrl)}">`,
    `  <img src="${escapeHtml(lightUrl)}" alt="${escapeHtml(alt)}">`,
    '</picture>',
  ].join('\n')
}

/** The query joined to a URL that may have one already. */
export const withQuery = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`

export function markdownSnippet(url: string, alt: string): string {
  // eslint-disable-next-line no-control-regex -- control characters cannot stand in alt text
  const text = alt.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/[\\[\]]/g, '\\$&')
  // encodeURIComponent leaves parentheses alone; Markdown would end the link at ")".
  const target = url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
  return `![${text}](${target})`
}

/**
 * A script that shows a badge's JSON in the element with id="status": plain
 * promises, so that it runs as pasted into a classic <script> (where a
 * top-level await is a syntax error).
 */
export function fetchSnippet(url: string, fields = 'message, color, stale'): string {
  return [
    `fetch(${JSON.stringify(url)})`,
    '  .then((res) => res.json())',
    `  .then(({ ${fields} }) => {`,
    "    const el = document.getElementById('status')",
    "    el.textContent = stale ? message + ' (stale)' : message",
    '    el.style.color = color',
    '  })',
  ].join('\n')
}

/** A roll-up's example list, in the snippets. */
const ROLLUP_EXAMPLE = 'components/badge.svg?ids=1,2,7'

const BADGES: readonly Badge[] = [
  {
    title: 'Overall status',
    svg: 'badge.svg',
    json: 'badge.json',
    shields: 'badge.shields.json',
    alt: '',
    fields: 'status, message, color, stale',
  },
  {
    title: 'Uptime',
    svg: 'uptime/badge.svg',
    json: 'uptime/badge.json',
    shields: 'uptime/badge.shields.json',
    alt: 'uptime',
    fields: 'uptime, message, color, stale',
  },
]

function snippets(base: string, assets: string, badge: Badge, alt: string): Html {
  const svgUrl = `${base}/${badge.svg}`
  const darkUrl = withQuery(svgUrl, 'theme=dark')
  const shieldsUrl = `https://img.shields.io/endpoint?url=${encodeURIComponent(`${base}/${badge.shields}`)}`
  return html`<section>
    <h2>${badge.title}</h2>
    <div class="badge">
      <img src="${assets}${badge.svg}" data-live="${assets}${badge.svg}" alt="${alt}" height="20" />
      <span class="dark"
        ><img
          src="${assets}${badge.svg}?theme=dark"
          data-live="${assets}${badge.svg}?theme=dark"
          alt="${alt} (dark)"
          height="20"
      /></span>
    </div>
    <h3>HTML</h3>
    <pre><code>${htmlSnippet(svgUrl, alt)}</code></pre>
    <h3>Markdown</h3>
    <pre><code>${markdownSnippet(svgUrl, alt)}</code></pre>
    <h3>Light and dark pages: HTML, or Markdown on GitHub (either theme)</h3>
    <pre><code>${pictureSnippet(svgUrl, darkUrl, alt)}</code></pre>
    <h3>PNG, where SVG is refused (e-mail, some chat and forum software)</h3>
    <pre><code>${htmlSnippet(svgUrl.replace(/\.svg$/, '.png'), alt)}</code></pre>
    <h3>JSON from a front end</h3>
    <pre><code>${fetchSnippet(`${base}/${badge.json}`, badge.fields)}</code></pre>
    <h3>shields.io</h3>
    <pre><code>${shieldsUrl}</code></pre>
  </section>`
}

/**
 * The part of the page that names the service's address: the snippets. Its
 * size does not depend on the components; `base` appears in it 8 times.
 */
export function originSection(base: string, content: LandingContent, note?: string): string {
  const rollup = `${base}/${ROLLUP_EXAMPLE}`
  return html`${note ? html`<p class="muted">${note}</p>` : html``}
    ${builderSection(base, content.assets, content.label)}
    ${BADGES.map((badge) => snippets(base, content.assets, badge, badge.alt || content.label))}
    <section>
      <h2>A group of components</h2>
      <p>
        One badge for the components you list, worst state wins (every one down: major outage; some: partial
        outage; any pending: degraded; paused ones are left out). Up to 50 public component ids.
      </p>
      <pre><code>${htmlSnippet(rollup, content.label)}</code></pre>
    </section>
    <p>
      Any badge's URL is this address followed by its path: <code>${base}/</code> +
      <code>components/ID/badge.svg</code>.
    </p>`.value
}

/** One row per listed component: its live badge, its id and its paths, all relative. */
function componentTable(assets: string, components: readonly Component[]): Html {
  const rows = components.map((c) => {
    const path = `components/${encodeURIComponent(c.id)}/badge`
    return html`<tr>
      <td><img src="${assets}${path}.svg" data-live="${assets}${path}.svg" alt="${c.name}" height="20" /></td>
      <td><code>${c.id}</code></td>
      <td><code>${path}.svg</code>, <code>.json</code>, <code>.shields.json</code></td>
    </tr>`
  })
  return html`<table>
    <tr>
      <th>badge</th>
      <th>id</th>
      <th>paths</th>
    </tr>
    ${rows}
  </table>`
}

function componentsSection(assets: string, state: ComponentsState): Html {
  switch (state.kind) {
    case 'none-public':
      return html`<p class="muted">
        No component is public. Set <code>PUBLIC_COMPONENTS</code> to a comma list of monitor ids, or
        <code>*</code>, to publish component badges.
      </p>`
    case 'not-loaded':
      return html`<p class="muted">The list of components has not been loaded from the upstream yet.</p>`
    case 'none-listed':
      return html`<p class="muted">
        ${
          state.upstreamCount === 0
            ? 'The upstream lists no monitors.'
            : state.named === '*'
              ? 'No monitor is listed.'
              : `None of the ${state.named} ids in PUBLIC_COMPONENTS is among the ${state.upstreamCount} monitors the upstream lists.`
        }
      </p>`
    case 'listed':
      return html`<p>
          Each public component has a badge at <code>components/ID/badge.svg</code>, its JSON at
          <code>components/ID/badge.json</code> and its shields.io endpoint at
          <code>components/ID/badge.shields.json</code>. All of them, with their states, are in
          <a href="${assets}components.json"><code>components.json</code></a>.
        </p>
        ${
          state.total > state.shown.length
            ? html`<p class="muted">
              The first ${state.shown.length} of ${state.total} are shown here; the rest are in
              <code>components.json</code>.
            </p>`
            : html``
        }
        ${componentTable(assets, state.shown)}`
  }
}

const PARAMETERS = (assets: string) => html`<section>
  <h2>Parameters</h2>
  <p>
    Every <code>.svg</code> badge, and its <code>.png</code> (the same badge at 2x, for where SVG is refused), takes
    these query parameters; others are ignored.
  </p>
  <table>
    <tr>
      <th>parameter</th>
      <th>values</th>
      <th>example</th>
    </tr>
    <tr>
      <td><code>style</code></td>
      <td>flat, flat-square, plastic, for-the-badge, social</td>
      <td><img src="${assets}badge.svg?style=for-the-badge" alt="for-the-badge style" height="28" /></td>
    </tr>
    <tr>
      <td><code>label</code></td>
      <td>up to 64 characters; empty hides the left side</td>
      <td><img src="${assets}badge.svg?label=API" alt="label API" height="20" /></td>
    </tr>
    <tr>
      <td><code>labelColor</code>, <code>color</code></td>
      <td>
        a colour name (brightgreen, green, yellowgreen, yellow, orange, red, blue, grey, lightgrey, or a CSS name
        such as black) or hex without # (ff8800)
      </td>
      <td><img src="${assets}badge.svg?labelColor=1f2328" alt="dark label" height="20" /></td>
    </tr>
    <tr>
      <td><code>logo</code>, <code>logoColor</code></td>
      <td>
        a simple-icons slug (github, as on simpleicons.org), or an SVG as
        <code>data:image/svg+xml;base64,…</code> (at most 8 KiB; drawing elements only); logoColor as color
      </td>
      <td><img src="${assets}badge.svg?logo=github" alt="GitHub logo" height="20" /></td>
    </tr>
    <tr>
      <td><code>theme</code></td>
      <td>light, or dark: deeper, less glaring colours, white text, for dark pages</td>
      <td>
        <span class="dark"><img src="${assets}badge.svg?theme=dark" alt="dark theme" height="20" /></span>
      </td>
    </tr>
    <tr>
      <td><code><i>state</i>Message</code>, <code><i>state</i>Color</code></td>
      <td>
        words and colour for one state, on every status badge (.svg, .png, .json, .shields.json): operational,
        degraded, partialOutage, majorOutage, maintenance, unknown
      </td>
      <td>
        <img
          src="${assets}badge.svg?operationalMessage=all%20good&amp;operationalColor=2ea44f"
          alt="all good"
          height="20"
        />
      </td>
    </tr>
  </table>
</section>`

/**
 * The page around its origin section, once per snapshot: `head`, then the
 * snippets for the request's address, then `tail`. Server-rendered, no
 * script, no external asset; every interpolated value escaped.
 */
export function landingParts(content: LandingContent): { readonly head: string; readonly tail: string } {
  const { assets, components, version } = content
  const head = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Status badges</title>
        <link rel="icon" href="${assets}favicon.svg" type="image/svg+xml" />
        <style>${new Html(LANDING_CSS)}</style>
      </head>
      <body>
        <main>
          <h1>Status badges</h1>
          <p class="muted">
            Live badges from the Server Monitor API, served without its key. Copy a snippet to embed one.
          </p>
          <p id="live" class="muted" data-events="${assets}events"></p>`.value
  const incidents =
    content.incidents === undefined
      ? html``
      : html`<section>
          <h2>Active incidents</h2>
          ${
            content.incidents.length === 0
              ? html`<p class="muted">None.</p>`
              : html`<ul>
                ${content.incidents.map((title) => html`<li>${title}</li>`)}
              </ul>`
          }
        </section>`
  const tail = html`${incidents}<section>
            <h2>Components</h2>
            ${componentsSection(assets, components)}
          </section>
          ${PARAMETERS(assets)}
          <p class="muted">status-badge-proxy ${version}</p>
        </main>
        <script>${new Html(LANDING_SCRIPT)}</script>
        <script>${new Html(BUILDER_SCRIPT)}</script>
      </body>
    </html>
  `.value
  return { head, tail }
}
