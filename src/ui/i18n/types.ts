/**
 * A translation of one feature's bokmål strings: exactly the same keys (a
 * missing or extra key is a type error), each with its own text.
 */
export type Translation<Reference extends Record<string, string>> = Record<keyof Reference, string>;
