import { CreateCoreSchema20261123140000 } from './20261123140000-create-core-schema';

/** Every migration, oldest first. Add new ones at the end; never edit one that has landed. */
export const MIGRATIONS = [CreateCoreSchema20261123140000];
