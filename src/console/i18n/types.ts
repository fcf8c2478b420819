/** A translation of the bokmål catalog: exactly its keys (a missing or extra key is a type error). */
import type { MessageKey } from './nb';

export type Catalog = Record<MessageKey, string>;
