import type { MessageKey } from './en';

/** A language's messages: exactly the English keys (the compiler and a test both check). */
export type Catalog = { readonly [K in MessageKey]: string };
