#!/usr/bin/env bash
# Style gates that CI runs before the tests:
#   1. every C++ file is formatted as .clang-format says (Debian's clang-format);
#   2. core/ layers only include layers below them, so the model core stays a
#      stack you can read bottom-up. The order, lowest first:
#        backend tensor tape ops autograd io data nn optim models analysis train
#      An upward include fails unless scripts/upward_includes.txt names it with
#      the issue that removes it;
#   3. panels, widgets and lessons draw every frame: they do not write to the
#      terminal (a debug print left there floods it 60 times a second).
# Usage: scripts/check_style.sh            (exits 1 and says what is wrong)
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.hpp' '*.cc')
if ! command -v clang-format >/dev/null; then
    echo "check_style: clang-format is not installed (apt-get install clang-format)" >&2
    exit 1
fi
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/ganvas-format.$$; then
    bad=$(grep -oE '^[^: ]+\.(cpp|h|hpp|cc):[0-9]+:' /tmp/ganvas-format.$$ | cut -d: -f1 | sort -u)
    echo "check_style: these files differ from .clang-format (run clang-format -i on them):" >&2
    echo "$bad" | sed 's/^/  /' >&2
    status=1
fi
rm -f /tmp/ganvas-format.$$

layers=(backend tensor tape ops autograd io data nn optim models analysis train)
declare -A rank
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done
allowed=$( (grep -v '^#' scripts/upward_includes.txt || true) | awk '{print $1" "$2}')
for f in "${files[@]}"; do
    [[ $f == core/* ]] || continue
    own=$(echo "$f" | cut -d/ -f2)
    [[ -n ${rank[$own]:-} ]] || continue
    while read -r inc; do
        layer=${inc%%/*}
        [[ -n ${rank[$layer]:-} ]] || continue
        if ((rank[$layer] > rank[$own])) && ! grep -qxF "$f $inc" <<<"$allowed"; then
            echo "check_style: $f includes $inc, a layer above $own/ (move the work up or the code down)" >&2
            status=1
        fi
    done < <(grep -oE '^#include "[a-z_]+/[^"]+"' "$f" | sed 's/#include "//; s/"$//')
done

if prints=$(grep -nE '(^|[^a-z_])(f?printf|puts)\(|std::(cout|cerr|clog)' \
    app/panels/*.cpp app/widgets/*.cpp app/lessons/*.cpp | grep -vE '(sn|vsn)printf\('); then
    echo "check_style: panels, widgets and lessons must not print to the terminal:" >&2
    echo "$prints" | sed 's/^/  /' >&2
    status=1
fi
exit $status
