/**
 * The types that make a translation mistake a compile error: a key that does
 * not exist, a `{placeholder}` left out of a call, a parameter the message
 * does not have, a plural read without its count, and a translation that drops
 * one of the reference message's placeholders.
 */

/** The placeholder names in a message: `Placeholders<'{n} av {max}'>` is `'n' | 'max'`. */
export type Placeholders<Message extends string> = Message extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The arguments after the key: none for a message without placeholders, else one value per placeholder. */
export type ParamArgs<Names extends string> = [Names] extends [never] ? [] : [params: { [Name in Names]: string | number }];

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** A text with every one of these placeholders in it, in any order. */
type WithPlaceholders<Names extends string> = [Names] extends [never]
  ? string
  : UnionToIntersection<Names extends string ? `${string}{${Names}}${string}` : never>;

/**
 * A translation of one feature's bokmål strings: exactly the same keys (a
 * missing or extra key is a type error), each with its own text, which must
 * keep the reference message's placeholders.
 */
export type Translation<Reference extends Record<string, string>> = {
  [Key in keyof Reference]: WithPlaceholders<Placeholders<Reference[Key]>>;
};
