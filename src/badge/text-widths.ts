import { createRequire, Module } from 'node:module'

type Measure = (text: string, options: { readonly font: string; readonly guess?: boolean }) => number
interface Consumer {
  widthOf(text: string, options: { readonly guess?: boolean }): number
}

/** anafanafo 2.0.0's fonts and their tables, as its index.js names them. */
const TABLES: Readonly<Record<string, string>> = {
  '10px Verdana': './data/verdana-10px-normal.json',
  'bold 10px Verdana': './data/verdana-10px-bold.json',
  '11px Verdana': './data/verdana-11px-normal.json',
  'bold 11px Helvetica': './data/helvetica-11px-bold.json',
}

/**
 * badge-maker measures text with anafanafo 2.0.0 (its latest), whose index
 * reads all four fonts' width tables when it loads: some 45 000 small
 * arrays, 2.6 MB of heap and 4 MB of resident memory more than the one
 * table a flat, flat-square or plastic badge uses ('11px Verdana'). So,
 * before badge-maker loads, anafanafo's entry in require's cache (which
 * Node documents as open to adding entries, and which its ESM loader honours
 * for CommonJS imports) is filled with the same measure over the same
 * tables and the same char-width-table-consumer, each table read the first
 * time a badge needs its font. test/badge/text-widths.test.ts checks the
 * badges against badge-maker with its own anafanafo, byte for byte.
 */
export function loadBadgeMaker(): typeof import('badge-maker') {
  const fromHere = createRequire(import.meta.url)
  const anafanafo = createRequire(fromHere.resolve('badge-maker')).resolve('anafanafo')
  if (!fromHere.cache[anafanafo]) {
    const fromAnafanafo = createRequire(anafanafo)
    const { createConsumer } = fromAnafanafo('char-width-table-consumer') as {
      createConsumer: (table: unknown) => Consumer
    }
    const consumers = new Map<string, Consumer>()
    const measure: Measure = (text, { font, ...rest }) => {
      let consumer = consumers.get(font)
      if (!consumer) {
        const table = Object.hasOwn(TABLES, font) ? TABLES[font] : undefined
        if (table === undefined) throw new Error(`Unknown font "${font}", expected ${Object.keys(TABLES).join(', ')}`)
        consumer = createConsumer(fromAnafanafo(table))
        consumers.set(font, consumer)
      }
      return consumer.widthOf(text, rest)
    }
    const entry = new Module(anafanafo)
    entry.filename = anafanafo
    entry.exports = measure
    entry.loaded = true
    fromHere.cache[anafanafo] = entry
  }
  return fromHere('badge-maker') as typeof import('badge-maker')
}
