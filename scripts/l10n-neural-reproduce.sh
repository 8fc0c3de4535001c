#!/usr/bin/env bash
# Reproduces the l10n-neural table (docs/training.md) as the issue's "done when" asks: encoders trained in one
# workspace, exported as model packs, imported into a fresh workspace as on another machine, indexed there and fused
# with BM25 and the bridge; the experiment's per-pair figures must come out the same in both.
#
#   L10N_DEV=… L10N_TRAIN=… scripts/l10n-neural-reproduce.sh WORKSPACE_A WORKSPACE_B [OUT]
#
# A: set up by scripts/l10n-neural-workspace.sh (NEURAL_MODELS=pairs): collections, training sets, bridges and the
#    seven per-pair encoders neural-l10n-<pair>, trained there (or reused when A already has them).
# B: must be new. scripts/l10n-dev-workspace.sh (collections, queries, qrels, BM25 indexes; no training data), then
#    each encoder imported from its exported pack (`pont model export` → `pont model import`) and indexed
#    (`pont dense index`), and each pair's bridge likewise (`pont bridge export` → `pont bridge import`). On a re-run,
#    what B imported is kept only while A exports the same bytes: a bridge or encoder retrained in A since is deleted
#    from B and imported again, so that B never compares A's new artefacts with its own old ones.
# Then resources/experiments/l10n-neural.json runs in A, then in B (one after the other: two at once on a small
# machine take longer than both in turn), their outputs in OUT/A and OUT/B (default
# experiment-results/l10n-neural-reproduce), l10n-neural-bridge.json in each (the fused system against the bridge
# alone, from the runs just stored), and RR@10 and nDCG@10 of every pair and system are compared to 4 decimals
# (OUT/compare.tsv). Exit status 1 when any differs. REPRO_A_RESULTS=results.json compares B with an earlier run of
# A instead of running the experiments in A again. Re-running resumes: an experiment keeps the (pair, system) units
# it finished, as long as what they read (indexes, models, bridges) is unchanged.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 WORKSPACE_A WORKSPACE_B [OUT]" >&2; exit 2; }
a=$1
b=$2
out=${3:-$root/experiment-results/l10n-neural-reproduce}
pairs=(af-nl ast-es ca-fr ca-valencia-ca gd-en oc-fr szl-pl)
node() { "$root/scripts/node.sh" node "$@"; }
pont() { local ws=$1; shift; node "$root/bin/pont.mjs" -w "$ws" --no-demo "$@"; }
[ "$(realpath -m "$a")" != "$(realpath -m "$b")" ] || { echo "A and B must be two workspaces" >&2; exit 2; }

# A fresh workspace is one this script started: a B with anything else in it would not show a reproduction.
marker=$b/.l10n-neural-reproduce
if [ -e "$b" ] && [ ! -e "$marker" ] && [ -n "$(ls -A "$b")" ]; then
  echo "$b is not empty: B must be a new workspace" >&2
  exit 2
fi
mkdir -p "$b" "$out/packs" "$out/A" "$out/B"
touch "$marker"

NEURAL_MODELS=pairs "$root/scripts/l10n-neural-workspace.sh" "$a"
"$root/scripts/l10n-dev-workspace.sh" "$b"

# Each pack is exported from A afresh and compared with the one B imported before (kept in OUT/packs).
models=$(pont "$b" --json model list)
bridges=$(pont "$b" --json bridge list)
listed() { printf '%s\n' "$1" | grep -q "\"name\": \"$2\""; }
for pair in "${pairs[@]}"; do
  model=neural-l10n-$pair
  rm -rf "$out/packs/$model.new"
  pont "$a" model export "$model" "$out/packs/$model.new"
  if listed "$models" "$model" && diff -rq "$out/packs/$model.new" "$out/packs/$model" >/dev/null 2>&1; then
    echo "model $model: present in B, the same pack as A's"
    rm -rf "$out/packs/$model.new"
  else
    if listed "$models" "$model"; then pont "$b" model delete "$model"; fi
    rm -rf "$out/packs/$model"
    mv "$out/packs/$model.new" "$out/packs/$model"
    pont "$b" model import "$out/packs/$model" --name "$model"
  fi
  pont "$b" dense index --collection "l10n-${pair##*-}" --model "$model"
  bridge=l10n-$pair
  pack=$out/packs/bridge-$bridge.json
  pont "$a" bridge export "$bridge" "$pack.new"
  if listed "$bridges" "$bridge" && cmp -s "$pack.new" "$pack"; then
    echo "bridge $bridge: present in B, the same as A's"
    rm "$pack.new"
  else
    if listed "$bridges" "$bridge"; then pont "$b" bridge delete "$bridge"; fi
    mv "$pack.new" "$pack"
    pont "$b" bridge import "$pack"
  fi
done

# The experiment files as they are, their output sent to OUT/<side> so that the two runs do not share a folder.
redirect() {
  node -e '
    const fs = require("fs");
    const [src, dst, output] = process.argv.slice(1);
    const def = JSON.parse(fs.readFileSync(src, "utf8"));
    fs.writeFileSync(dst, JSON.stringify({ ...def, output }, null, 2) + "\n");
  ' "$root/resources/experiments/$1.json" "$2/$1.json" "$3"
}
for side in A B; do
  redirect l10n-neural "$out/$side" ./l10n-neural
  redirect l10n-neural-bridge "$out/$side" ./l10n-neural-bridge
done

experiments() {
  local side=$1 ws=$2 e
  for e in l10n-neural l10n-neural-bridge; do
    echo "$side: $e in $ws, started $(date -u +%FT%TZ); log $out/$side/$e.log"
    pont "$ws" experiment "$out/$side/$e.json" >"$out/$side/$e.log" 2>&1 || { echo "$side: $e failed: see $out/$side/$e.log" >&2; exit 1; }
    echo "$side: $e done $(date -u +%FT%TZ)"
  done
}
a_results=${REPRO_A_RESULTS:-$out/A/l10n-neural/results.json}
if [ -z "${REPRO_A_RESULTS:-}" ]; then experiments A "$a"; fi
experiments B "$b"

node -e '
  const fs = require("fs");
  const [fa, fb] = process.argv.slice(1);
  const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
  const means = (r) => new Map(r.querySets.flatMap((q) => q.systems.map((s) => [`${q.name} ${s.name}`, s.means])));
  const ra = means(read(fa));
  const rb = means(read(fb));
  let differ = 0;
  console.log(["query set / system", "RR@10 A", "RR@10 B", "nDCG@10 A", "nDCG@10 B", ""].join("\t"));
  for (const [key, mb] of rb) {
    const ma = ra.get(key);
    const same = ma && ["RR@10", "nDCG@10"].every((m) => ma[m].toFixed(4) === mb[m].toFixed(4));
    if (!same) differ++;
    const f = (x) => (x === undefined ? "-" : x.toFixed(4));
    console.log([key, f(ma?.["RR@10"]), f(mb["RR@10"]), f(ma?.["nDCG@10"]), f(mb["nDCG@10"]), same ? "same" : "DIFFERS"].join("\t"));
  }
  console.log(differ === 0 ? "B reproduces A to 4 decimals." : `${differ} of ${rb.size} figures differ.`);
  process.exit(differ === 0 ? 0 : 1);
' "$a_results" "$out/B/l10n-neural/results.json" | tee "$out/compare.tsv"
