import { describeImpossibleDates } from './fuzz-suite.js';

// Impossible dates on every route that takes one (fuzz-suite.ts), beside the write fuzzing files.
describeImpossibleDates();
