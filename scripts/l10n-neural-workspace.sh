#!/usr/bin/env bash
# Sets up a workspace for resources/experiments/l10n-neural.json and l10n-neural-transfer.json: the l10n-dev
# collections, query sets and BM25 indexes (scripts/l10n-dev-workspace.sh), the seven l10n-train training sets
# (scripts/l10n-train-pairs.sh), the encoders Pont trains on them, and their dense indexes:
#   neural-all      trained on all seven l10n-train sets, indexed on every l10n-dev collection;
#   neural-ca-fr    trained on ca-fr only: the seed's unseen-pair transfer, tested on oc-fr (l10n-fr);
#   neural-lopo-oc  trained on the six sets other than oc-fr: leave-one-pair-out for Occitan (l10n-fr).
#
#   scripts/l10n-neural-workspace.sh [WORKSPACE]    # default: $PONT_WORKSPACE, else /tmp/pont-l10n
#   PONT_WORKSPACE=WORKSPACE node bin/pont.mjs experiment resources/experiments/l10n-neural.json
#
# Re-running skips what is there; an interrupted training resumes from its checkpoint, an index build catches up.
# Training settings: $NEURAL_EPOCHS (default 2), $NEURAL_DIM (default 64), seed 42. $NEURAL_MODELS limits the
# encoders made (default: "all transfer"; "all" makes neural-all and its indexes only).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ws=${1:-${PONT_WORKSPACE:-/tmp/pont-l10n}}
epochs=${NEURAL_EPOCHS:-2}
wanted=${NEURAL_MODELS:-all transfer}
dim=${NEURAL_DIM:-64}

"$root/scripts/l10n-dev-workspace.sh" "$ws"
"$root/scripts/l10n-train-pairs.sh" "$ws"

pont() { "$root/scripts/node.sh" node "$root/bin/pont.mjs" -w "$ws" --no-demo "$@"; }
models=$(pont --json model list)
have() { printf '%s\n' "$models" | grep -q "\"name\": \"$1\""; }

pairs=(af-nl ast-es ca-fr ca-valencia-ca gd-en oc-fr szl-pl)
train() {
  local name=$1
  shift
  if have "$name"; then echo "model $name: present"; return; fi
  local args=()
  for p in "$@"; do args+=(--pairs "l10n-train-$p"); done
  pont train "${args[@]}" --name "$name" --epochs "$epochs" --dim "$dim" --seed 42
}
if [[ " $wanted " == *" all "* ]]; then
  train neural-all "${pairs[@]}"
  for collection in l10n-nl l10n-es l10n-fr l10n-ca l10n-en l10n-pl; do
    pont dense index --collection "$collection" --model neural-all
  done
fi
if [[ " $wanted " == *" transfer "* ]]; then
  train neural-ca-fr ca-fr
  train neural-lopo-oc af-nl ast-es ca-fr ca-valencia-ca gd-en szl-pl
  pont dense index --collection l10n-fr --model neural-ca-fr
  pont dense index --collection l10n-fr --model neural-lopo-oc
fi
