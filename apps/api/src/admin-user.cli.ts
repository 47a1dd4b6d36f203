import { DataSource } from 'typeorm';
import { ConfigError, loadConfig, systemClock } from '@libs/config/src';
import { dataSourceOptions, openDatabase, runMigrations } from '@libs/db/src';
import { ConsoleUserRefused, ConsoleUserService } from '@libs/app/src/console-users/console-users.service';
import { checkNewConsoleUser } from '@libs/app/src/console-users/console-user-input';

const USAGE = 'usage: npm run admin:user -- --email <email> --password <password> [--role admin|viewer]';
const FLAGS = new Set(['--email', '--password', '--role']);

/** The flags given, each once with a value; anything else is a usage error naming it. */
function parseFlags(args: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (!FLAGS.has(flag)) throw new ConfigError(flag, `is not an option; ${USAGE}`);
    if (value === undefined || FLAGS.has(value)) throw new ConfigError(flag, 'needs a value');
    if (flag in flags) throw new ConfigError(flag, 'is given twice');
    flags[flag] = value;
  }
  return flags;
}

/** The problems of a new user, named by the flag that carries each field. */
function flagProblems(problems: Record<string, string>): string {
  return Object.entries(problems)
    .map(([field, problem]) => `--${field}: ${problem}`)
    .join('\n');
}

/**
 * `npm run admin:user -- --email <e> --password <p> [--role viewer]`: creates a console user
 * (admin unless --role viewer) who can sign in at /console/login. Works while the service runs
 * (it joins the running embedded database) or on its own. Input is checked before the database
 * is opened, so a typo answers at once.
 */
async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const input = { email: flags['--email'], password: flags['--password'], role: flags['--role'] ?? 'admin' };
  const checked = checkNewConsoleUser(input);
  if ('problems' in checked) throw new Error(`${flagProblems(checked.problems)}\n${USAGE}`);
  const db = await openDatabase(loadConfig());
  const dataSource = new DataSource(dataSourceOptions(db.url));
  try {
    await runMigrations(db.url);
    await dataSource.initialize();
    const user = await new ConsoleUserService(dataSource, systemClock()).create(input, 'cli');
    process.stdout.write(`created console ${user.role} ${user.email}; sign in at /console/login\n`);
  } catch (error) {
    if (error instanceof ConsoleUserRefused) throw new Error(flagProblems(error.problems), { cause: error });
    throw error;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`admin:user: ${error.message}\n`);
  process.exit(1);
});
