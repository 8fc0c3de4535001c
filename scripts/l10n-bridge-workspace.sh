#!/usr/bin/env bash
# Sets up a workspace for resources/experiments/l10n-bridge.json and l10n-bridge-transfer.json: the l10n-dev
# collections, queries, qrels and indexes (scripts/l10n-dev-workspace.sh), the l10n-train training sets
# (scripts/l10n-train-pairs.sh), and the bridges the experiments compare:
#   l10n-<pair>        trained on l10n-train-<pair> (named like the query set it serves)
#   lopo-l10n-<pair>   for a Romance pair: pooled from the other Romance pairs' training sets (leave-one-pair-out)
#
#   scripts/l10n-bridge-workspace.sh [WORKSPACE]    # default: $PONT_WORKSPACE, else /tmp/pont-l10n
#   PONT_WORKSPACE=WORKSPACE node bin/pont.mjs experiment resources/experiments/l10n-bridge.json
#   (and l10n-bridge-transfer.json, l10n-bridge-neighbour.json)
#
# Idempotent: what is there is kept, and an interrupted training resumes where it stopped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ws=${1:-${PONT_WORKSPACE:-/tmp/pont-l10n}}

"$root/scripts/l10n-dev-workspace.sh" "$ws"
"$root/scripts/l10n-train-pairs.sh" "$ws"

pont() { "$root/scripts/node.sh" node "$root/bin/pont.mjs" -w "$ws" --no-demo "$@"; }
ready() { pont --json bridge list | tr -d ' \n' | grep -q "\"name\":\"$1\"[^}]*\"state\":\"ready\""; }

pairs=(af-nl ast-es ca-fr ca-valencia-ca gd-en oc-fr szl-pl)
for pair in "${pairs[@]}"; do
  if ready "l10n-$pair"; then
    echo "bridge l10n-$pair: present"
  else
    pont bridge train --pairs "l10n-train-$pair" --name "l10n-$pair"
  fi
done
# The Romance pairs: a held-out variety is served by a bridge pooled from its relatives, not from Gaelic or Polish.
romance=(ast-es ca-fr ca-valencia-ca oc-fr)
for held in "${romance[@]}"; do
  to=${held##*-}
  from=${held%-"$to"}
  if ready "lopo-l10n-$held"; then
    echo "bridge lopo-l10n-$held: present"
    continue
  fi
  args=()
  for pair in "${romance[@]}"; do [ "$pair" = "$held" ] || args+=(--pairs "l10n-train-$pair"); done
  # Named by the variety it stands in for; what it was trained on is in its provenance. Its target languages stay
  # those of its sets: labelled with the held-out pair's, a bridge into French would be applied to a Spanish or
  # Catalan collection and match the few words the languages share (ast-es fell from 0.72 to 0.50 RR@10 so).
  pont bridge train "${args[@]}" --name "lopo-l10n-$held" --from "$from"
done
pont bridge list
