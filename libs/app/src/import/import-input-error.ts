/**
 * Input an import cannot start with (a bad mapping, a missing column, an unreadable or unknown
 * file): nothing was written. Each problem starts with the field or file it is about; the API
 * answers 400 with them, the command exits 2 printing them.
 */
export class ImportInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ImportInputError';
  }
}
