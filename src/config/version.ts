import { readFileSync } from 'node:fs'

interface PackageJson {
  readonly name: string
  readonly version: string
}

// The same relative path from src/config/ (tests) and dist/config/ (build): both two levels under package.json.
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson

export const PACKAGE_NAME = pkg.name
export const VERSION = pkg.version
export const USER_AGENT = `${PACKAGE_NAME}/${VERSION} (+status badge proxy for the Server Monitor API)`
