/**
 * Why an import cannot go on, in words for the site owner (stored on the import and shown in
 * the settings). Anything else that fails an import is reported as an internal error.
 */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}
