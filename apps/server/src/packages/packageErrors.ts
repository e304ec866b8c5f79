import { JobsError } from '../errors.js';

export class PackageNotFoundError extends JobsError {
  constructor(name: string) {
    super('NOT_FOUND', `No package '${name}' is stored; upload it with PUT first.`);
  }
}

export class PackageTooLargeError extends JobsError {
  constructor(limit: number) {
    super(
      'PAYLOAD_TOO_LARGE',
      `The package is larger than the limit of ${limit} bytes (--max-package-bytes).`,
    );
  }
}
