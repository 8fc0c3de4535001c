// Every stage kind that pipeline declarations may name. Each subsystem adds the module that registers its kinds.
import './registry.ts';
import '../lexical/stage.ts';
import './fuse.ts';
import '../runs/run-stage.ts';
import '../models/rerank-stage.ts';
import '../dense/stage.ts';
import '../bridge/stage.ts';
import '../community/auto.ts';
