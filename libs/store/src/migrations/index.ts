import { InitialSchema1763856000000 } from './1763856000000-InitialSchema.js';

/** Applied in this order; add new migrations at the end. */
export const migrations = [InitialSchema1763856000000];
