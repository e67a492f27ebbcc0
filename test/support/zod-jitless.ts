// Imported first by the browser-preview entry: the app's CSP has no 'unsafe-eval', so zod must not
// compile validators with new Function. zod decides when a schema is defined, hence a module of its own.
import { z } from 'zod';

z.config({ jitless: true });
