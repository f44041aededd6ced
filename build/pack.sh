#!/usr/bin/env bash
# Packs every package of the repository into artifacts/packages/ (or the folder given).
# Usage: build/pack.sh [version] [output-folder] [project...]
#   version         package version (default: MoonbootVersion from Directory.Build.props); "" for the default
#   output-folder   where the .nupkg files go (default: artifacts/packages); "" for the default
#   project...      pack only these (default: every sdk/*/*.csproj, templates/*/*.csproj and the moonboot tool)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"

version="${1:-}"
output="${2:-$MOONBOOT_ROOT/artifacts/packages}"
shift $(($# < 2 ? $# : 2))
mkdir -p "$output"
output="$(cd "$output" && pwd)"

shopt -s nullglob
if (($# > 0)); then
    projects=("$@")
else
    projects=(sdk/*/*.csproj templates/*/*.csproj src/Moonboot.Tool/Moonboot.Tool.csproj)
fi
if ((${#projects[@]} == 0)); then
    echo "error: no packable project under sdk/ or templates/" >&2
    exit 1
fi

args=(-c Release -o "$output" -nodeReuse:false -p:UseSharedCompilation=false)
[[ -n $version ]] && args+=("-p:MoonbootVersion=$version")

for project in "${projects[@]}"; do
    moonboot_log "dotnet pack $project ${version:+(version $version)}"
    dotnet pack "$project" "${args[@]}"
done
moonboot_log "packages in $output:"
ls -1 "$output"/*.nupkg >&2
