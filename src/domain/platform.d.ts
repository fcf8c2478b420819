/**
 * The one platform API the domain uses: random bytes for record ids (ids.ts),
 * present alike in browsers, service workers and Node ≥ 19. The domain is
 * type-checked without DOM or Node types (tsconfig.domain.json), so any other
 * platform API a domain module reached for would be a type error here.
 */
declare const crypto: { getRandomValues<T extends ArrayBufferView>(array: T): T };
