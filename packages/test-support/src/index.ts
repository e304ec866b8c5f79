export { jobFixture } from './jobFixture.js';
export { type JobsServer, type JobsServerOptions, startJobsServer } from './jobsServer.js';
