// Every subsystem that owns tables registers its migrations here, so that opening a workspace always brings the
// whole schema up to date, whichever part of the engine the caller is about to use.
import './core-schema.ts';
import '../runs/runs-schema.ts';
import '../models/models-schema.ts';
import '../lexical/schema.ts';
import '../pairs/schema.ts';
import '../training/schema.ts';
import '../packs/schema.ts';
import '../dense/schema.ts';
import '../bridge/schema.ts';
import '../community/schema.ts';
import '../experiments/schema.ts';
