import type { Component } from '../status/components.js'
import { escapeHtml, Html, html } from './html.js'

/** Why the component list may be empty: none published, not loaded yet, or none matching. */
export type ComponentsState = 'none-public' | 'not-loaded' | 'listed'

export interface LandingPage {
  /** Absolute base for copy-paste snippets: PUBLIC_URL or the request's origin. */
  readonly base: string
  /**
   * Prefix of the page's own images and icon: "" (relative, for a page at
   * the service's root or under a proxy prefix ending in "/"), or PUBLIC_URL's
   * path + "/" so that a prefix without its trailing slash still resolves.
   */
  readonly assets: string
  readonly label: string
  readonly components: readonly Component[]
  readonly componentsState: ComponentsState
  readonly version: string
}

/** The page's only style; issue 4's CSP allows it by hash. */
export const LANDING_CSS = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:52rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-top:1px solid #d0d7de;padding-top:1rem}
h3{font-size:.85rem;margin:.75rem 0 .25rem;color:#59636e;text-transform:uppercase;letter-spacing:.04em}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem;overflow-x:auto;margin:0}
code{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.badge{margin:.25rem 0 .5rem}.muted{color:#59636e}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #d0d7de}
`.trim()

interface Badge {
  readonly title: string
  /** Path relative to the service root, e.g. "badge.svg". */
  readonly svg: string
  readonly json: string
  readonly shields: string
  readonly alt: string
}

/**
 * Each snippet is escaped for where it will be pasted (HTML, Markdown,
 * JavaScript); the page then escapes it once more to show it.
 */
export function htmlSnippet(url: string, alt: string): string {
  return `<img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}">`
}

export function markdownSnippet(url: string, alt: string): string {
  // eslint-disable-next-line no-control-regex -- control characters cannot stand in alt text
  const text = alt.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/[\\[\]]/g, '\\$&')
  // encodeURIComponent leaves parentheses alone; Markdown would end the link at ")".
  const target = url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
  return `![${text}](${target})`
}

export function fetchSnippet(url: string): string {
  return [
    `const res = await fetch(${JSON.stringify(url)})`,
    'const { status, message, color, stale } = await res.json()',
  ].join('\n')
}

function snippets(base: string, assets: string, badge: Badge): Html {
  const svgUrl = `${base}/${badge.svg}`
  const shieldsUrl = `https://img.shields.io/endpoint?url=${encodeURIComponent(`${base}/${badge.shields}`)}`
  return html`<section>
    <h2>${badge.title}</h2>
    <div class="badge"><img src="${assets}${badge.svg}" alt="${badge.alt}" height="20" /></div>
    <h3>HTML</h3>
    <pre><code>${htmlSnippet(svgUrl, badge.alt)}</code></pre>
    <h3>Markdown</h3>
    <pre><code>${markdownSnippet(svgUrl, badge.alt)}</code></pre>
    <h3>JSON from a front end</h3>
    <pre><code>${fetchSnippet(`${base}/${badge.json}`)}</code></pre>
    <h3>shields.io</h3>
    <pre><code>${shieldsUrl}</code></pre>
  </section>`
}

/**
 * One row per public component: its live badge, its id and its Markdown.
 * The other formats follow one pattern, said once: a page of a few hundred
 * bytes per component, whatever the size of the fleet.
 */
function componentTable(base: string, assets: string, components: readonly Component[]): Html {
  if (components.length === 0) return html``
  const rows = components.map((c) => {
    const path = `components/${encodeURIComponent(c.id)}/badge.svg`
    return html`<tr>
      <td><img src="${assets}${path}" alt="${c.name}" height="20" /></td>
      <td><code>${c.id}</code></td>
      <td><code>${markdownSnippet(`${base}/${path}`, c.name)}</code></td>
    </tr>`
  })
  return html`<p>
      Each has its badge at <code>${base}/components/ID/badge.svg</code>, its JSON at
      <code>${base}/components/ID/badge.json</code> and its shields.io endpoint at
      <code>${base}/components/ID/badge.shields.json</code>; the list is at <code>${base}/components.json</code>.
    </p>
    <table>
      <tr>
        <th>badge</th>
        <th>id</th>
        <th>Markdown</th>
      </tr>
      ${rows}
    </table>`
}

const COMPONENT_NOTES: Readonly<Record<ComponentsState, Html>> = {
  'none-public': html`<p class="muted">
    No component is public. Set <code>PUBLIC_COMPONENTS</code> to a comma list of monitor ids, or <code>*</code>, to
    publish component badges.
  </p>`,
  'not-loaded': html`<p class="muted">The list of components has not been loaded from the upstream yet.</p>`,
  listed: html``,
}

/** Server-rendered, no script, no external asset; every interpolated value escaped. */
export function renderLandingPage(page: LandingPage): string {
  const { base, assets, label, components, componentsState, version } = page
  const badges: Badge[] = [
    { title: 'Overall status', svg: 'badge.svg', json: 'badge.json', shields: 'badge.shields.json', alt: label },
    {
      title: 'Uptime',
      svg: 'uptime/badge.svg',
      json: 'uptime/badge.json',
      shields: 'uptime/badge.shields.json',
      alt: 'uptime',
    },
  ]
  return html`<!doctype html>
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
          ${badges.map((badge) => snippets(base, assets, badge))}
          <section>
            <h2>Components</h2>
            ${COMPONENT_NOTES[componentsState]} ${componentTable(base, assets, components)}
          </section>
          <section>
            <h2>Parameters</h2>
            <p>Every <code>.svg</code> badge takes these query parameters; others are ignored.</p>
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
                  a colour name (brightgreen, green, yellowgreen, yellow, orange, red, blue, grey, lightgrey) or hex
                  without # (ff8800)
                </td>
                <td><img src="${assets}badge.svg?labelColor=1f2328" alt="dark label" height="20" /></td>
              </tr>
            </table>
          </section>
          <p class="muted">status-badge-proxy ${version}</p>
        </main>
      </body>
    </html>
  `.value
}
