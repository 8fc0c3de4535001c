#!/usr/bin/env bash
# Sets up a workspace for the neural experiments (resources/experiments/l10n-neural*.json): the l10n-dev
# collections, query sets and BM25 indexes (scripts/l10n-dev-workspace.sh), the seven l10n-train training sets
# (scripts/l10n-train-pairs.sh), the lexical bridges of issue 9 (scripts/l10n-bridge-workspace.sh), the encoders
# Pont trains on l10n-train, and their dense indexes:
#   neural-l10n-<pair>       one per pair, trained on the pair's l10n-train set only, indexed on the pair's
#                            collection (l10n-neural.json, l10n-neural-bridge.json);
#   neural-lopo-l10n-<pair>  for each Romance pair (ast-es, ca-fr, ca-valencia-ca, oc-fr): the other three Romance
#                            sets, the pair held out (l10n-neural-lopo.json), indexed on the pair's collection;
#   neural-ca-fr             ca-fr only: the seed's unseen-pair transfer, tested on oc-fr (l10n-neural-transfer.json).
#
#   L10N_DEV=… L10N_TRAIN=… scripts/l10n-neural-workspace.sh [WORKSPACE]   # default: $PONT_WORKSPACE, else /tmp/pont-l10n
#   PONT_WORKSPACE=WORKSPACE node bin/pont.mjs experiment resources/experiments/l10n-neural.json   (and the others)
#
# Re-running skips what is there; an interrupted training resumes from its checkpoint, an index build catches up.
# Settings (seed 42 throughout), chosen on the train-side validation split (scripts/l10n-neural-validation.sh,
# docs/training.md), never on l10n-dev: $NEURAL_EPOCHS and $NEURAL_DIM for the per-pair encoders (default 4 and 64),
# $NEURAL_LOPO_EPOCHS for the held-out encoders (default 1), $NEURAL_CA_FR_EPOCHS for neural-ca-fr (default 2).
# $NEURAL_MODELS limits what is made (default "pairs lopo transfer").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ws=${1:-${PONT_WORKSPACE:-/tmp/pont-l10n}}
epochs=${NEURAL_EPOCHS:-4}
dim=${NEURAL_DIM:-64}
lopo_epochs=${NEURAL_LOPO_EPOCHS:-1}
ca_fr_epochs=${NEURAL_CA_FR_EPOCHS:-2}
wanted=${NEURAL_MODELS:-pairs lopo transfer}

# The bridges script sets up the l10n-dev collections and the l10n-train sets first.
"$root/scripts/l10n-bridge-workspace.sh" "$ws"

pont() { "$root/scripts/node.sh" node "$root/bin/pont.mjs" -w "$ws" --no-demo "$@"; }
models=$(pont --json model list)
have() { printf '%s\n' "$models" | grep -q "\"name\": \"$1\""; }

pairs=(af-nl ast-es ca-fr ca-valencia-ca gd-en oc-fr szl-pl)
train() {
  local name=$1 n=$2
  shift 2
  if have "$name"; then echo "model $name: present"; return; fi
  local args=()
  for p in "$@"; do args+=(--pairs "l10n-train-$p"); done
  pont train "${args[@]}" --name "$name" --epochs "$n" --dim "$dim" --seed 42
}
if [[ " $wanted " == *" pairs "* ]]; then
  for pair in "${pairs[@]}"; do
    train "neural-l10n-$pair" "$epochs" "$pair"
    pont dense index --collection "l10n-${pair##*-}" --model "neural-l10n-$pair"
  done
fi
if [[ " $wanted " == *" lopo "* ]]; then
  # As the bridges' leave-one-pair-out: a held-out Romance variety is served by its relatives only.
  romance=(ast-es ca-fr ca-valencia-ca oc-fr)
  for held in "${romance[@]}"; do
    others=()
    for p in "${romance[@]}"; do [ "$p" = "$held" ] || others+=("$p"); done
    train "neural-lopo-l10n-$held" "$lopo_epochs" "${others[@]}"
    pont dense index --collection "l10n-${held##*-}" --model "neural-lopo-l10n-$held"
  done
fi
if [[ " $wanted " == *" transfer "* ]]; then
  train neural-ca-fr "$ca_fr_epochs" ca-fr
  pont dense index --collection l10n-fr --model neural-ca-fr
fi
