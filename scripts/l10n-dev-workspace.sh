#!/usr/bin/env bash
# Sets up a workspace for resources/experiments/l10n-dev.json: every l10n-dev pair's collection, queries and qrels,
# and the two indexes the experiment compares on each collection (accent-folded words, accent-folded character
# 3–5-grams: the best word and n-gram analysers on l10n-dev, docs/lexical.md).
#
#   scripts/l10n-dev-workspace.sh [WORKSPACE]    # default: $PONT_WORKSPACE, else /tmp/pont-l10n
#   PONT_WORKSPACE=WORKSPACE node bin/pont.mjs experiment resources/experiments/l10n-dev.json
#
# Re-running skips what is already there (and an index build only catches up with changed documents).
# The data is read from $L10N_DEV (default: ../shared/data/l10n-dev next to the repository).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ws=${1:-${PONT_WORKSPACE:-/tmp/pont-l10n}}
data=${L10N_DEV:-$root/../shared/data/l10n-dev}
[ -d "$data" ] || { echo "l10n-dev data not found at $data (set L10N_DEV)" >&2; exit 3; }

pont() { "$root/scripts/node.sh" node "$root/bin/pont.mjs" -w "$ws" --no-demo "$@"; }
# Whether a JSON listing names NAME (the listings print one field per line).
lists() { grep -q "\"name\": \"$1\""; }

# pair → collection language; the queries' variety is the pair's first part.
declare -A doc_lang=([af-nl]=nl [ast-es]=es [ca-fr]=fr [ca-valencia-ca]=ca [gd-en]=en [oc-fr]=fr [szl-pl]=pl)
analyzers=(words+fold chargram:3-5+fold)

for pair in af-nl ast-es ca-fr ca-valencia-ca gd-en oc-fr szl-pl; do
  lang=${doc_lang[$pair]}
  variety=${pair%-"$lang"}
  collection=l10n-$lang
  queries=l10n-$pair
  dir=$data/$pair
  if pont --json collection list | lists "$collection"; then
    echo "collection $collection: present"
  else
    # oc-fr and ca-fr share the French strings: the first pair imports them.
    pont collection import "$dir/collection.tsv" --name "$collection" --lang "$lang" --format tsv \
      --description "l10n-dev: LibreOffice strings in $lang ($pair)"
  fi
  listing=$(pont --json queries list --collection "$collection")
  if printf '%s\n' "$listing" | lists "$queries"; then
    echo "query set $queries: present"
  else
    pont queries import "$dir/queries.tsv" --collection "$collection" --name "$queries" --lang "$variety" --format tsv
  fi
  # A query set without judgements gets its qrels (an import interrupted between the two steps resumes here).
  judged=$(pont --json queries list --collection "$collection" | tr -d ' \n' | grep -o "\"name\":\"$queries\"[^}]*" | grep -o '"judged":[0-9]*' | cut -d: -f2)
  if [ "${judged:-0}" -gt 0 ]; then
    echo "qrels of $queries: present ($judged judged queries)"
  else
    pont qrels import "$dir/qrels.txt" --queries "$queries"
  fi
done

for collection in $(printf 'l10n-%s\n' "${doc_lang[@]}" | sort -u); do
  for analyzer in "${analyzers[@]}"; do
    # index build resumes an interrupted build and is a no-op on an index that is up to date.
    pont index build --collection "$collection" --analyzer "$analyzer"
  done
done
pont index list
