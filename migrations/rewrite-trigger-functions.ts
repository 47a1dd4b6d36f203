import { QueryRunner } from 'typeorm';

/** Replaces each named trigger function (public schema, no arguments) with `change` applied to its current body. */
export async function rewriteTriggerFunctions(q: QueryRunner, names: readonly string[], change: (source: string) => string): Promise<void> {
  for (const name of names) {
    const [{ prosrc }]: Array<{ prosrc: string }> = await q.query(`SELECT prosrc FROM pg_proc WHERE proname = $1 AND pronamespace = 'public'::regnamespace`, [name]);
    await q.query(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$${change(prosrc)}$fn$`);
  }
}
