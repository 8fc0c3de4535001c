import { fuzzSuite } from './fuzz-suite.ts';
import { importerFuzzSuite } from './importer-fuzz-suite.ts';

fuzzSuite(2500);
importerFuzzSuite(1500);
