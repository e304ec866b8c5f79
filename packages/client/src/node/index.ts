export { uploadWorkingDir, type UploadWorkingDirOptions } from './uploadWorkingDir.js';
export { zipDirectory } from './zipDirectory.js';
