export { resolveWorkingDir } from './resolveWorkingDir.js';
export { runtimeEnvSetupMessage } from './runtimeEnvSetupMessage.js';
export { RuntimeEnvSetupAbortedError, RuntimeEnvSetupError } from './runtimeEnvSetupError.js';
export { withinSetupTimeLimit } from './setupTimeLimit.js';
