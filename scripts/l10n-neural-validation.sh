#!/usr/bin/env bash
# Train-side validation for the neural experiment: chooses the encoder's settings without looking at l10n-dev.
# Each l10n-train pair is split by its pair id: ids ending in 0 (1 in 16) become validation queries (the low
# string) with their high string as the relevant document; the training part keeps the other pairs, less any whose
# low string is a validation query or whose high string is a validation answer (the same rule that keeps l10n-dev's
# answers out of l10n-train). Each pair's validation collection is every distinct high string of the pair's file
# (the training part's strings are the distractors, as in l10n-dev). The workspace holds no l10n-dev data.
#
#   scripts/l10n-neural-validation.sh [WORKSPACE]          # default: /tmp/pont-l10n-validation
#   then: pont -w WORKSPACE experiment resources/experiments/l10n-neural-validation.json
#
# Candidates (each trained on the seven training parts, $CANDIDATES limits them):
#   val-e2-d64    2 epochs, 64 dimensions (the settings of the first run)
#   val-e4-d64    4 epochs
#   val-e3-d128   3 epochs, 128 dimensions
#   val-pair-e4   one encoder per pair, 4 epochs (val-pair-e4-val-<pair>)
# Idempotent: what is there is kept; an interrupted training resumes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ws=${1:-/tmp/pont-l10n-validation}
data=${L10N_TRAIN:-$root/../shared/data/l10n-train}
[ -d "$data" ] || { echo "l10n-train data not found at $data (set L10N_TRAIN)" >&2; exit 3; }
wanted=${CANDIDATES:-val-e2-d64 val-pair-e4 val-e4-d64 val-e3-d128}
split=$ws/split
mkdir -p "$split"

pont() { "$root/scripts/node.sh" node "$root/bin/pont.mjs" -w "$ws" --no-demo "$@"; }
lists() { grep -q "\"name\": \"$1\""; }

pairs=(af-nl ast-es ca-fr ca-valencia-ca gd-en oc-fr szl-pl)
for pair in "${pairs[@]}"; do
  to=${pair##*-}
  from=${pair%-"$to"}
  out=$split/$pair
  mkdir -p "$out"
  if [ ! -s "$out/qrels.txt" ]; then
    # Two passes over the file: the validation answers and queries first, then the files.
    awk -F'\t' -v out="$out" '
      function key(s) { return tolower(s) }
      FNR == NR { if ($1 ~ /0$/) { vh[key($3)] = 1; vl[key($2)] = 1 } ; next }
      {
        h = key($3)
        if (!(h in doc)) { doc[h] = "d" substr($1, 2); print doc[h] "\t" $3 > (out "/collection.tsv") }
        if ($1 ~ /0$/) { print $1 "\t" $2 > (out "/queries.tsv"); print $1 " 0 " doc[h] " 1" > (out "/qrels.txt") }
        else if (!(h in vh) && !(key($2) in vl)) print > (out "/train.tsv")
      }' "$data/$pair/pairs.tsv" "$data/$pair/pairs.tsv"
  fi
  collection=val-$pair
  if ! pont --json collection list | lists "$collection"; then
    pont collection import "$out/collection.tsv" --name "$collection" --lang "$to" --format tsv --description "l10n-train validation split ($pair)"
  fi
  if ! pont --json queries list --collection "$collection" | lists "$collection"; then
    pont queries import "$out/queries.tsv" --collection "$collection" --name "$collection" --lang "$from" --format tsv
    pont qrels import "$out/qrels.txt" --queries "$collection"
  fi
  pont index build --collection "$collection" --analyzer chargram:3-5+fold
  pont pairs import "$out/train.tsv" --name "val-train-$pair" --from "$from" --to "$to" --format tsv --columns id,low,high,identical
done

models=$(pont --json model list)
have() { printf '%s\n' "$models" | grep -q "\"name\": \"$1\""; }
train() {
  local name=$1 epochs=$2 dim=$3
  shift 3
  if ! have "$name"; then
    local args=()
    for p in "$@"; do args+=(--pairs "val-train-$p"); done
    pont train "${args[@]}" --name "$name" --epochs "$epochs" --dim "$dim" --seed 42
  fi
}
index() {
  for pair in "${pairs[@]}"; do pont dense index --collection "val-$pair" --model "$1"; done
}
for c in $wanted; do
  case $c in
    val-e2-d64) train "$c" 2 64 "${pairs[@]}" && index "$c" ;;
    val-e4-d64) train "$c" 4 64 "${pairs[@]}" && index "$c" ;;
    val-e3-d128) train "$c" 3 128 "${pairs[@]}" && index "$c" ;;
    val-pair-e4)
      for pair in "${pairs[@]}"; do
        train "$c-val-$pair" 4 64 "$pair"
        pont dense index --collection "val-$pair" --model "$c-val-$pair"
      done
      ;;
    *) echo "unknown candidate $c" >&2; exit 2 ;;
  esac
done
