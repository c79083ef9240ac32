import { describeWriteFuzzing } from './fuzz-suite.js';

// Parts 0, 3, 6 and 9 of the write fuzzing (fuzz-suite.ts): the parts are spread over files so they run in parallel.
describeWriteFuzzing(0);
