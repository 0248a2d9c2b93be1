# Sourced by the benchmark scripts: write_section NAME TEXT puts TEXT (which
# starts with <!-- NAME:start --> and ends with <!-- NAME:end -->) in place of
# that section of docs/benchmarks.md, or appends it when the file has none.
write_section() {
  local name=$1 text=$2 doc=docs/benchmarks.md tmp
  if grep -q "<!-- $name:start -->" "$doc"; then
    tmp=$(mktemp)
    awk -v sec="$text" -v start="<!-- $name:start -->" -v end="<!-- $name:end -->" '
      $0 == start { print sec; skip = 1; next }
      $0 == end { skip = 0; next }
      !skip { print }' "$doc" >"$tmp"
    cat "$tmp" >"$doc"
    rm -f "$tmp"
  else
    printf '\n%s\n' "$text" >>"$doc"
  fi
  echo "bench: wrote $doc" >&2
}
