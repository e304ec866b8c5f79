import { generateOpenApi } from '@ts-rest/open-api';
import { API_VERSION, jobsContract } from '../contract.js';
import { packagesContract } from '../packages.js';

export type OpenApiDocument = ReturnType<typeof generateOpenApi>;

/**
 * The OpenAPI 3 description of the contract, for clients in other languages. Kept apart from
 * the package's main entry so that importing the contract does not load the generator.
 */
export function createOpenApiDocument(): OpenApiDocument {
  return generateOpenApi(
    { ...jobsContract, ...packagesContract },
    {
      info: {
        title: 'Jobs API',
        version: API_VERSION,
        description:
          'Submit, list, inspect, stop and delete jobs and read their logs. Compatible with the job REST API of openYuanrong (and Ray Job Submission): every route also accepts a trailing slash, and every non-2xx answer is `{ "code", "message" }`.',
      },
    },
    { setOperationId: true },
  );
}
