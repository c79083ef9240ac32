import { describeWriteFuzzing } from './fuzz-suite.js';

// Parts 2, 5, 8 and 11 of the write fuzzing (fuzz-suite.ts): the parts are spread over files so they run in parallel.
describeWriteFuzzing(2);
