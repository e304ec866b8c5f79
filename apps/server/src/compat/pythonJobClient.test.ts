import { describePythonJobClient } from './describePythonJobClient.js';

describePythonJobClient('local processes', { args: () => [] });
