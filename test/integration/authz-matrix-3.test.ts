import { describeAuthzMatrix } from './authz-matrix-suite.js';

// The authorization matrix for the modules of MATRIX_FILES[2] (authz-matrix-suite.ts): the modules are spread over files so they run in parallel.
describeAuthzMatrix(2);
