import { faultSuite } from './fault-suite.ts';

faultSuite(20, 200_000);
