/// <reference lib="dom" />
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import type { Simulator } from '../../src/dev/simulator.js'
import { buildTestApp, firstPolls, startTestUpstream } from '../helper.js'

/**
 * The badges in a real browser (Debian's chromium, driven by playwright-core):
 * embedded from another origin, fetched cross-origin, and the landing page.
 * Run by `npm run test:browser`; in CI a missing chromium fails the run.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARTIFACTS = resolve(import.meta.dirname, '../../test-results')
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

if (!existsSync(CHROMIUM)) {
  const message = `chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`
  if (process.env.CI) throw new Error(message)
  console.warn(`skipping the browser tests: ${message}`)
}

let upstream: Simulator | undefined
let app: App | undefined
let apiOrigin: string
let site: Server | undefined
let siteOrigin: string
let browser: Browser | undefined

/** A page of another origin that embeds badges with <picture>, light and dark, in the page's colours. */
function picturePage(api: string): string {
  const picture = (path: string, alt: string) => `<picture>
  <source media="(prefers-color-scheme: dark)" srcset="${api}/${path}${path.includes('?') ? '&' : '?'}theme=dark">
  <img src="${api}/${path}" alt="${alt}" height="20">
</picture>`
  return `<!doctype html><html><head><meta charset="utf-8"><title>picture</title>
<link rel="icon" href="data:,">
<style>
body{font:16px system-ui,sans-serif;margin:24px;background:#fff;color:#1f2328}
@media (prefers-color-scheme: dark){body{background:#0d1117;color:#e6edf3}}
p{display:flex;gap:12px;align-items:center}
</style></head><body>
<h1>Embedded badges</h1>
<p>${picture('badge.svg', 'status')} ${picture('components/2/badge.svg', 'database')}</p>
<p>${picture('components/badge.svg?ids=1,2,3', 'backend')} ${picture('badge.svg?logo=github&label=repo', 'repo')}</p>
<p><img id="png" src="${api}/badge.png?style=for-the-badge" alt="png" height="28"></p>
</body></html>`
}

/** A page of another origin (another port) that embeds and fetches the badges. */
function embeddingPage(api: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>embed</title>
<link rel="icon" href="data:,"></head><body>
<img id="overall" src="${api}/badge.svg" alt="status">
<img id="component" src="${api}/components/1/badge.svg" alt="web">
<img id="error" src="${api}/badge.svg?style=nope" alt="error badge">
<p id="status">pending</p>
<script>
fetch('${api}/badge.json')
  .then((res) => res.json().then((body) => ({ body, etag: res.headers.get('etag') })))
  .then(({ body, etag }) => { document.getElementById('status').textContent = body.status + ' ' + (etag ? 'etag' : 'no-etag') })
  .catch((err) => { document.getElementById('status').textContent = 'failed: ' + err })
</script></body></html>`
}

/** A page of another origin that listens to the live updates. */
function livePage(api: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>live</title><link rel="icon" href="data:,"></head><body>
<script>
window.received = []
new EventSource('${api}/events').addEventListener('status', (event) => window.received.push(JSON.parse(event.data)))
</script></body></html>`
}

/** A README example, pasted as it is into a page of another origin (only the address changed). */
function readmeFetchPage(readme: string, api: string, heading = '### `fetch` from a front end'): string {
  const section = readme.slice(readme.indexOf(heading))
  const snippet = /```html\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
  if (!snippet.includes('<script>')) throw new Error(`the README has no example to paste under ${heading}`)
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>${snippet.replaceAll('https://status.example.com', api)}</body></html>`
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return
  await mkdir(ARTIFACTS, { recursive: true })
  upstream = await startTestUpstream()
  app = (await buildTestApp({ upstream, env: { PUBLIC_COMPONENTS: '*' } })).app
  await app.listen({ host: '127.0.0.1', port: 0 })
  await firstPolls(app)
  apiOrigin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const readme = await readFile(resolve(import.meta.dirname, '../../README.md'), 'utf8')
  const server = createServer((request, response) => {
    const pages: Record<string, string> = {
      '/': embeddingPage(apiOrigin),
      '/live': livePage(apiOrigin),
      '/readme-fetch': readmeFetchPage(readme, apiOrigin),
      '/readme-events': readmeFetchPage(readme, apiOrigin, '### `GET /events`: live updates'),
      '/picture': picturePage(apiOrigin),
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages[request.url ?? '/'] ?? '')
  })
  site = server
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  siteOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
}, 60_000)

afterAll(async () => {
  // Each only if beforeAll got that far: a failed launch must report itself, not a TypeError here.
  await browser?.close()
  await app?.close()
  const server = site
  if (server?.listening) await new Promise((done) => server.close(done))
  await upstream?.close()
})

/** A new page; its screenshot is written before any assertion, so a failing run leaves one too. */
async function openPage(options: Parameters<Browser['newPage']>[0] = {}) {
  if (!browser) throw new Error('chromium did not start')
  return browser.newPage(options)
}

/** Console errors (CSP violations among them), page errors, failed requests and error statuses of a page. */
/**
 * Console errors and warnings, page errors, failed requests and error
 * answers. With `supersededImages`, an image load the page itself cancelled
 * by setting a new src (the builder's preview, as one types) is no problem.
 */
function problemsOf(page: Awaited<ReturnType<typeof openPage>>, { supersededImages = false } = {}): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`))
  page.on('requestfailed', (request) => {
    const cancelled = request.failure()?.errorText === 'net::ERR_ABORTED' && request.resourceType() === 'image'
    if (!(supersededImages && cancelled)) problems.push(`failed: ${request.url()}`)
  })
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`)
  })
  return problems
}

describe.skipIf(!existsSync(CHROMIUM))('in a real browser', () => {
  it('another origin embeds the badges with <img> and reads the JSON with fetch()', async () => {
    const page = await openPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    await page.goto(siteOrigin)
    await page.waitForFunction(() => document.getElementById('status')?.textContent !== 'pending')
    await page.screenshot({ path: resolve(ARTIFACTS, 'embedding-page.png') })
    expect(await page.textContent('#status')).toBe('operational etag')
    const widths = await page.$$eval('img', (images) => images.map((img) => [img.id, img.complete, img.naturalWidth]))
    for (const [id, complete, width] of widths) {
      expect(complete, String(id)).toBe(true)
      expect(width, String(id)).toBeGreaterThan(0)
    }
    expect(problems).toEqual([])
    await page.close()
  })

  it('loads the landing page with no console error and no failed request', async () => {
    const page = await openPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`))
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`))
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`)
    })
    // Not networkidle: the page keeps its live-update stream open.
    await page.goto(`${apiOrigin}/`, { waitUntil: 'load' })
    await page.waitForFunction(() => document.getElementById('live')?.textContent === 'Live: operational')
    await page.screenshot({ path: resolve(ARTIFACTS, 'landing-page.png'), fullPage: true })
    const broken = await page.$$eval('img', (images) =>
      images.filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src),
    )
    expect(broken).toEqual([])
    // Overall, uptime, five components and three parameter examples.
    expect(await page.$$eval('img', (images) => images.length)).toBeGreaterThanOrEqual(10)
    expect(problems).toEqual([])
    await page.close()
  })

  it.each(['readme-fetch', 'readme-events'])(
    "runs the README's example (%s) as pasted, from another origin",
    async (name) => {
      const page = await openPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      await page.goto(`${siteOrigin}/${name}`)
      await page.waitForFunction(() => document.getElementById('status')?.textContent !== '…')
      await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`) })
      expect(await page.textContent('#status')).toBe('operational')
      expect(errors).toEqual([])
      await page.close()
    },
  )

  it.each(['light', 'dark'] as const)(
    '<picture> embeds follow a %s colour scheme, and every badge is drawn',
    async (colorScheme) => {
      const page = await openPage({ colorScheme, viewport: { width: 640, height: 260 } })
      const problems = problemsOf(page)
      await page.goto(`${siteOrigin}/picture`, { waitUntil: 'networkidle' })
      await page.screenshot({ path: resolve(ARTIFACTS, `picture-${colorScheme}.png`) })
      const images = await page.$$eval('img', (all) =>
        all.map((img) => ({ src: img.currentSrc, complete: img.complete, width: img.naturalWidth })),
      )
      expect(images).toHaveLength(5)
      for (const image of images) {
        expect(image.complete, image.src).toBe(true)
        expect(image.width, image.src).toBeGreaterThan(0)
      }
      const pictures = images.slice(0, 4)
      for (const { src } of pictures) {
        expect(src.includes('theme=dark'), src).toBe(colorScheme === 'dark')
      }
      expect(problems).toEqual([])
      await page.close()
    },
  )

  it('an EventSource on another origin gets the status on connect, and the next within 2 s of a change', async () => {
    const page = await openPage()
    await page.goto(`${siteOrigin}/live`)
    await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length >= 1)
    upstream?.setScenario('major_outage')
    const changed = Date.now()
    await app?.poller.refresh('status')
    await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length >= 2, undefined, {
      timeout: 2_000,
    })
    expect(Date.now() - changed).toBeLessThan(2_000)
    const received = await page.evaluate(() => (window as unknown as { received: Array<{ status: string }> }).received)
    expect(received.map((event) => event.status)).toEqual(['operational', 'major_outage'])
    upstream?.setScenario('operational')
    await app?.poller.refresh('status')
    await page.close()
  })

  it('the landing page builder makes badges and snippets in the page', async () => {
    const page = await openPage({ viewport: { width: 1000, height: 900 } })
    const problems = problemsOf(page, { supersededImages: true })
    await page.goto(`${apiOrigin}/`, { waitUntil: 'networkidle' })
    await page.fill('#builder input[name="label"]', 'backend')
    await page.selectOption('#builder select[name="style"]', 'for-the-badge')
    await page.selectOption('#builder select[name="theme"]', 'dark')
    await page.fill('#builder input[name="logo"]', 'github')
    await page.fill('#builder input[name="ids"]', '1,2')
    await page.waitForFunction(() =>
      (document.getElementById('builder-preview') as HTMLImageElement | null)?.src.includes('ids=1%2C2'),
    )
    await page.waitForFunction(() => {
      const img = document.getElementById('builder-preview') as HTMLImageElement | null
      return img?.complete && img.naturalWidth > 0
    })
    await page.locator('section', { has: page.locator('#builder') }).screenshot({
      path: resolve(ARTIFACTS, 'landing-builder.png'),
    })
    const url = await page.textContent('#builder-url')
    expect(url).toBe(
      `${apiOrigin}/components/badge.svg?ids=1%2C2&label=backend&style=for-the-badge&logo=github&theme=dark`,
    )
    expect(await page.textContent('#builder-picture')).toContain('<source media="(prefers-color-scheme: dark)"')
    const preview = await page.$eval('#builder-preview', (img) => (img as HTMLImageElement).naturalHeight)
    expect(preview).toBe(28)
    expect(problems).toEqual([])
    await page.close()
  })

  it('the landing page works without script: badges drawn, the builder opens the badge', async () => {
    if (!browser) throw new Error('chromium did not start')
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const problems = problemsOf(page)
    await page.goto(`${apiOrigin}/`, { waitUntil: 'networkidle' })
    await page.screenshot({ path: resolve(ARTIFACTS, 'landing-no-script.png') })
    const broken = await page.$$eval('img', (images) =>
      images
        .filter((img) => img.offsetParent !== null && (!img.complete || img.naturalWidth === 0))
        .map((img) => img.src),
    )
    expect(broken).toEqual([])
    expect(await page.isVisible('#builder-output')).toBe(false)
    await page.fill('#builder input[name="label"]', 'api')
    await Promise.all([page.waitForURL(/badge\.svg\?/), page.click('#builder button[type="submit"]')])
    expect(page.url()).toContain('label=api')
    expect(await page.content()).toContain('api')
    expect(problems).toEqual([])
    await context.close()
  })
})
