export {
  DEFAULT_MAX_ARCHIVE_BYTES,
  DEFAULT_SETUP_TIMEOUT_MS,
  driverEnvironment,
  prepareRuntimeEnv,
  type PrepareRuntimeEnvOptions,
  type PreparedRuntimeEnv,
} from './prepareRuntimeEnv.js';
export { runtimeEnvSetupMessage } from './runtimeEnvSetupMessage.js';
export { RuntimeEnvSetupAbortedError, RuntimeEnvSetupError } from './runtimeEnvSetupError.js';
