// Xapian anchor: Debian's python3-xapian driven by a small script written at bench time; query latency is CPU time,
// as for the other engines. Terms are added without
// positions (Pont keeps none either), ranked with BM25Weight(k1, k2=0, k3=1, b, min_normlen=0.5) and OR queries.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineResult } from './measure.ts';

const script = String.raw`
import json, os, resource, sys, time, xapian
docs_dir, db_dir, k1, b = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
t0 = time.perf_counter()
c0 = time.process_time()
db = xapian.WritableDatabase(db_dir, xapian.DB_CREATE_OR_OVERWRITE)
n = 0
with open(os.path.join(docs_dir, 'docs.tsv'), encoding='utf-8') as f:
    for line in f:
        docid, text = line.rstrip('\n').split('\t', 1)
        doc = xapian.Document()
        for w in text.split(' '):
            doc.add_term(w)
        doc.set_data(docid)
        db.add_document(doc)
        n += 1
db.commit()
db.close()
index_seconds = time.perf_counter() - t0
index_cpu = time.process_time() - c0
size = sum(os.path.getsize(os.path.join(db_dir, f)) for f in os.listdir(db_dir))
db = xapian.Database(db_dir)
enq = xapian.Enquire(db)
enq.set_weighting_scheme(xapian.BM25Weight(k1, 0, 1, b, 0.5))
queries = [l.rstrip('\n').split('\t')[1].split(' ') for l in open(os.path.join(docs_dir, 'queries.tsv'), encoding='utf-8') if l.strip()]
def lat(k):
    for q in queries[:50]:
        enq.set_query(xapian.Query(xapian.Query.OP_OR, q)); enq.get_mset(0, k)
    ms = []
    for q in queries:
        t = time.process_time()
        enq.set_query(xapian.Query(xapian.Query.OP_OR, q))
        enq.get_mset(0, k)
        ms.append((time.process_time() - t) * 1000)
    ms.sort()
    pick = lambda p: ms[min(len(ms) - 1, max(0, -(-p * len(ms) // 100) - 1))]
    return {'p50': pick(50), 'p95': pick(95)}
print(json.dumps({'engine': 'xapian', 'indexSeconds': index_seconds, 'indexCpuSeconds': index_cpu, 'docsPerSecond': n / index_seconds, 'indexBytes': size,
    'peakRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, 'queries': len(queries), 'top10': lat(10), 'top1000': lat(1000)}))
`;

export function runXapian(dir: string, k1: number, b: number): EngineResult | { error: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'pont-xapian-'));
  try {
    const file = join(tmp, 'bench.py');
    writeFileSync(file, script);
    const r = spawnSync('/usr/bin/python3', [file, dir, join(tmp, 'db'), String(k1), String(b)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').at(-1)! };
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as EngineResult;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
