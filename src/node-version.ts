/**
 * Imported first by the entry points: on a Node.js too old for the service,
 * one line that says which is needed, before anything else can fail in a
 * less helpful way. package.json's engines (with engine-strict in .npmrc)
 * says the same to `npm ci`.
 */
const REQUIRED = [22, 12] as const
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
if (major < REQUIRED[0] || (major === REQUIRED[0] && minor < REQUIRED[1])) {
  process.stderr.write(
    `status-badge-proxy needs Node.js ${REQUIRED.join('.')} or later (24 recommended); this is ${process.version}\n`,
  )
  process.exit(1)
}
