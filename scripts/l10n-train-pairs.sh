#!/usr/bin/env bash
# Imports the seven l10n-train pairs (parallel LibreOffice strings) as training sets l10n-train-<pair>, e.g.
# l10n-train-oc-fr (from oc to fr), l10n-train-ca-valencia-ca (from ca-valencia to ca).
#
#   scripts/l10n-train-pairs.sh [WORKSPACE]    # default: $PONT_WORKSPACE, else /tmp/pont-l10n
#
# Idempotent: importing a file again leaves its set unchanged, and resumes an import that was interrupted.
# The data is read from $L10N_TRAIN (default: ../shared/data/l10n-train next to the repository).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ws=${1:-${PONT_WORKSPACE:-/tmp/pont-l10n}}
data=${L10N_TRAIN:-$root/../shared/data/l10n-train}
[ -d "$data" ] || { echo "l10n-train data not found at $data (set L10N_TRAIN)" >&2; exit 3; }

pont() { "$root/scripts/node.sh" node "$root/bin/pont.mjs" -w "$ws" --no-demo "$@"; }

for pair in af-nl ast-es ca-fr ca-valencia-ca gd-en oc-fr szl-pl; do
  # The high language is the pair's last part; the low variety is the rest (ca-valencia).
  to=${pair##*-}
  from=${pair%-"$to"}
  pont pairs import "$data/$pair/pairs.tsv" --name "l10n-train-$pair" --from "$from" --to "$to" --format tsv \
    --columns id,low,high,identical
done
pont pairs list
