#!/bin/bash
# Writes the man page of a GenStereo program from its own --help (run at build time, so the
# page always matches the binary):
#
#   make-manpage.sh PROGRAM VERSION SECTION_1_DESCRIPTION OUTPUT.1 [ENV=VALUE ...]
#
# The page is help2man's (NAME, SYNOPSIS, DESCRIPTION, OPTIONS from `PROGRAM --help`) plus a
# COMMANDS section with `PROGRAM COMMAND --help` for every command the top-level help lists
# (a line "  NAME   text" whose NAME answers `PROGRAM NAME --help` with exit code 0; `help`
# is left out; stderr is not part of the page). ENV=VALUE pairs are set while PROGRAM runs (e.g. QT_QPA_PLATFORM=offscreen).
set -euo pipefail

if [ $# -lt 4 ]; then
  echo "usage: $0 PROGRAM VERSION DESCRIPTION OUTPUT.1 [ENV=VALUE ...]" >&2
  exit 2
fi
program=$1
version=$2
description=$3
output=$4
shift 4
env_args=("$@")
command -v help2man >/dev/null || { echo "$0: help2man is not installed (Debian: help2man)" >&2; exit 1; }

name=$(basename "$program")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# roff-safe preformatted text: backslashes escaped, lines starting with . or ' protected.
to_roff() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }

include=$work/include.h2m
: >"$include"
top_help=$(env "${env_args[@]}" "$program" --help 2>/dev/null) || true
commands=()
while read -r candidate; do
  [ "$candidate" = help ] && continue
  if env "${env_args[@]}" "$program" "$candidate" --help >/dev/null 2>&1; then
    commands+=("$candidate")
  fi
done < <(printf '%s\n' "$top_help" | sed -n 's/^ \{1,8\}\([a-z][a-z0-9-]*\)  .*/\1/p' | awk '!seen[$0]++')

if [ ${#commands[@]} -gt 0 ]; then
  {
    echo "[COMMANDS]"
    for command in "${commands[@]}"; do
      echo ".SS \"$name $command\""
      echo ".nf"
      env "${env_args[@]}" "$program" "$command" --help 2>/dev/null | to_roff
      echo ".fi"
    done
  } >>"$include"
fi

# help2man runs PROGRAM itself; a wrapper gives it the environment.
wrapper=$work/$name
{
  echo '#!/bin/sh'
  printf 'exec env'
  printf ' %q' "${env_args[@]}" "$program"
  echo ' "$@"'
} >"$wrapper"
chmod +x "$wrapper"

mkdir -p "$(dirname "$output")"
include_args=()
[ -s "$include" ] && include_args=(--include="$include")
help2man --no-info --section=1 --name="$description" \
  --version-string="$version" "${include_args[@]}" --output="$output.tmp" "$wrapper"
# help2man's page may quote the wrapper's path: name the program plainly.
sed -i "s|$work/||g" "$output.tmp"
mv "$output.tmp" "$output"
echo "make-manpage: $output (${#commands[@]} commands: ${commands[*]:-none})"
