import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { accessResponses } from './accessResponses.js';
import { ErrorBodySchema } from './errors.js';

const c = initContract();

/** The only storage protocol: packages live on the server, as `gcs://` names them in Ray. */
export const PACKAGE_PROTOCOL = 'gcs';

/**
 * `_ray_pkg_<hash>.zip`. Ray's SDK names a directory by 16 hex digits (MD5 digests of its paths and
 * file contents, XOR-ed together); `uploadWorkingDir` by 64 (the SHA-256 of the zip's bytes).
 */
export const packageNamePattern = /^_ray_pkg_(?:[0-9a-f]{16}|[0-9a-f]{64})\.zip$/;

/** A `runtime_env.working_dir` naming an uploaded package. */
export const packageUriPattern = /^gcs:\/\/_ray_pkg_(?:[0-9a-f]{16}|[0-9a-f]{64})\.zip$/;

export const PackagePathParamsSchema = z.object({
  protocol: z.literal(PACKAGE_PROTOCOL, {
    errorMap: () => ({ message: `must be ${PACKAGE_PROTOCOL}` }),
  }),
  package_name: z
    .string()
    .regex(
      packageNamePattern,
      'must be _ray_pkg_<hash>.zip, the hash 16 (Ray) or 64 (SHA-256 of the zip) lowercase hex digits',
    ),
});
export type PackagePathParams = z.infer<typeof PackagePathParamsSchema>;

export const PackageInfoSchema = z
  .object({
    /** What `runtime_env.working_dir` names it by: `gcs://<package_name>`. */
    uri: z.string(),
    size_bytes: z.number().int().nonnegative(),
  })
  .strict();
export type PackageInfo = z.infer<typeof PackageInfoSchema>;

/** Ray's dashboard package API: local directories uploaded as zips, named by their content. */
export const packagesContract = c.router(
  {
    getPackage: {
      method: 'GET',
      path: '/api/packages/:protocol/:package_name',
      pathParams: PackagePathParamsSchema,
      responses: {
        200: PackageInfoSchema,
        400: ErrorBodySchema,
        404: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'Whether a package is stored',
      description:
        '200 when the package is stored (it then counts as used now), 404 when it must be uploaded.',
    },
    uploadPackage: {
      method: 'PUT',
      path: '/api/packages/:protocol/:package_name',
      pathParams: PackagePathParamsSchema,
      body: c.type<Uint8Array | Blob>(),
      responses: {
        200: PackageInfoSchema,
        400: ErrorBodySchema,
        413: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'Upload a package (a zip, as the raw request body)',
      description:
        'The body is the zip itself (any content type). It must be a zip archive; with a 64-digit name it must also have that SHA-256, otherwise 400 and nothing is stored. Larger than --max-package-bytes: 413. Uploading a stored package again is a no-op. Then `runtime_env.working_dir` may be `gcs://<package_name>`.',
    },
  },
  { strictStatusCodes: true, commonResponses: accessResponses },
);

export type PackagesContract = typeof packagesContract;
