import type { Language } from '../../domain';

/** One feature's strings in every language; nn and en must have exactly nb's keys. */
export type Catalog<K extends string> = { nb: Record<K, string> } & { [L in Exclude<Language, 'nb'>]: Record<K, string> };

/** Define a catalog with nb as the reference: TypeScript then demands every key in nn and en. */
export function defineCatalog<const N extends Record<string, string>>(catalog: {
  nb: N;
  nn: Record<keyof N, string>;
  en: Record<keyof N, string>;
}): Catalog<keyof N & string> {
  return catalog;
}
