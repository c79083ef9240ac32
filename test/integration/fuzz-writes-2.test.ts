import { describeWriteFuzzing } from './fuzz-suite.js';

// Parts 1, 4, 7 and 10 of the write fuzzing (fuzz-suite.ts): the parts are spread over files so they run in parallel.
describeWriteFuzzing(1);
