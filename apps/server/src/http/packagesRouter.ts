import {
  PACKAGE_PROTOCOL,
  type PackageInfo,
  PackagePathParamsSchema,
  type PackagePathParams,
  packagesContract,
} from '@jobs/contract';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import { InvalidRequestError } from '../errors.js';
import type { PackageStore } from '../packages/packageStore.js';
import { PackageTooLargeError } from '../packages/packageErrors.js';
import { describeZodError } from './describeZodError.js';

function pathParams(req: Request): PackagePathParams {
  const parsed = PackagePathParamsSchema.safeParse(req.params);
  if (!parsed.success) throw new InvalidRequestError(describeZodError('path', parsed.error));
  return parsed.data;
}

function info(name: string, size: number): PackageInfo {
  return { uri: `${PACKAGE_PROTOCOL}://${name}`, size_bytes: size };
}

function declaredLength(req: Request): number | undefined {
  const header = req.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/** Express 4 does not pass a rejected promise on to the error handler by itself. */
function handle(handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    handler(req, res).catch(next);
  };
}

/**
 * Ray's package upload (`packagesContract`). Plain Express rather than ts-rest: the body is a zip
 * streamed to disk as it arrives, never parsed or held in memory.
 */
export function createPackagesRouter(store: PackageStore): Router {
  const router = Router();
  router.get(
    packagesContract.getPackage.path,
    handle(async (req, res) => {
      const { package_name } = pathParams(req);
      res.json(info(package_name, await store.use(package_name)));
    }),
  );
  router.put(
    packagesContract.uploadPackage.path,
    handle(async (req, res) => {
      const { package_name } = pathParams(req);
      try {
        const size = await store.put(package_name, req, declaredLength(req));
        res.json(info(package_name, size));
      } catch (error) {
        // The rest of a refused body is not read: the connection cannot carry another request.
        if (error instanceof PackageTooLargeError) res.setHeader('connection', 'close');
        throw error;
      }
    }),
  );
  return router;
}
