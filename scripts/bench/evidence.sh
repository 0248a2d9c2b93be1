#!/usr/bin/env bash
# Evidence vault benchmark (issues 7, 21): upload (size limit + SHA-256 + type
# sniffing + age encryption + storage Put), the read-back verification the
# service runs before an upload becomes available (storage Get + age
# decryption + SHA-256, discarded), and download (storage Get + age
# decryption + SHA-256 verification with held-back tail) of one 1 GiB file on
# the local and the S3 (versitygw on loopback) drivers, each in a process of
# its own under /usr/bin/time for its peak RSS, against a plain `cp` (+ fsync)
# of the same file on the same disk in the same run. Writes the results into
# docs/benchmarks.md between the evidence-bench markers.
#   scripts/bench/evidence.sh            # 1 GiB
#   BENCH_SIZE_MIB=256 scripts/bench/evidence.sh
# Timing is reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/bench/section.sh

SIZE_MIB=${BENCH_SIZE_MIB:-1024}
WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/habeas-bench.XXXXXX")
GW_PID=
cleanup() {
  [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true
  [ -n "${HABEAS_TEST_VERSITYGW_DIR:-}" ] && rm -rf "$HABEAS_TEST_VERSITYGW_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "bench: $*" >&2; }

go build -o "$WORK/evidencebench" ./scripts/bench/evidencebench
log "generating a ${SIZE_MIB} MiB random file in $WORK"
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$WORK/src"
SUM=$(sha256sum "$WORK/src" | cut -d' ' -f1)
BYTES=$((SIZE_MIB << 20))

# timed NAME CMD...: runs CMD under /usr/bin/time; prints "seconds peak_kib"
timed() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" \
    || { cat "$WORK/$name.err" >&2; exit 1; }
  cat "$WORK/$name.time"
}

mibs() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? b / s / 1048576 : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

cat "$WORK/src" >/dev/null # same page-cache state for every reader
read -r CP_S CP_KIB < <(timed cp sh -c "cp '$WORK/src' '$WORK/cp.dst' && sync '$WORK/cp.dst'")
rm -f "$WORK/cp.dst"
log "cp: ${CP_S}s, peak RSS ${CP_KIB} KiB"

rows=()
run_driver() { # name extra-args...
  local drv=$1; shift
  local key="evidence/be/bench$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  read -r P_S P_KIB < <(timed "$drv-put" "$WORK/evidencebench" -op put -file "$WORK/src" -key "$key" -identity "$WORK/id.txt" "$@")
  grep -q "$SUM" "$WORK/$drv-put.err" || { log "$drv put: wrong sha256"; cat "$WORK/$drv-put.err" >&2; exit 1; }
  read -r V_S V_KIB < <(timed "$drv-verify" "$WORK/evidencebench" -op verify -key "$key" -sha "$SUM" -size "$BYTES" -identity "$WORK/id.txt" "$@")
  read -r G_S G_KIB < <(timed "$drv-get" "$WORK/evidencebench" -op get -key "$key" -sha "$SUM" -size "$BYTES" -out "$WORK/$drv.dst" -identity "$WORK/id.txt" "$@")
  [ "$(sha256sum "$WORK/$drv.dst" | cut -d' ' -f1)" = "$SUM" ] || { log "$drv get: wrong content"; exit 1; }
  rm -f "$WORK/$drv.dst"
  log "$drv: upload ${P_S}s (${P_KIB} KiB), read-back ${V_S}s (${V_KIB} KiB), download ${G_S}s (${G_KIB} KiB)"
  rows+=("| $drv | upload | $P_S | $(mibs "$P_S") | $(ratio "$P_S" "$CP_S") | $((P_KIB / 1024)) |")
  rows+=("| $drv | read-back verification | $V_S | $(mibs "$V_S") | $(ratio "$V_S" "$CP_S") | $((V_KIB / 1024)) |")
  rows+=("| $drv | download | $G_S | $(mibs "$G_S") | $(ratio "$G_S" "$CP_S") | $((G_KIB / 1024)) |")
}

run_driver local -dir "$WORK/objects"
rm -rf "$WORK/objects"

eval "$(scripts/ensure-versitygw.sh)"
GW_PID=$HABEAS_TEST_VERSITYGW_PID
run_driver s3 -s3

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
section=$(cat <<EOS
<!-- evidence-bench:start -->
## Evidence vault: 1 file of ${SIZE_MIB} MiB

Measured by \`scripts/bench/evidence.sh\` on $(date -u +%Y-%m-%d) ($(nproc) CPUs, ${cpu}; Go $(go env GOVERSION)).
Upload = size limit + SHA-256 + type sniffing + age encryption + storage Put (local: temp file, fsync,
rename; s3: versitygw on loopback over the same disk, 8 MiB multipart parts, two in flight). Download = storage Get +
age decryption + SHA-256 verification (last 64 KiB held back) into a file, fsync'ed. Each operation runs in
a process of its own; peak RSS from \`/usr/bin/time\`. The baseline is \`cp\` + fsync of the same file on
the same disk in the same run: ${CP_S} s, $(mibs "$CP_S") MiB/s, peak RSS $((CP_KIB / 1024)) MiB.
Ratio = time / cp time (lower is better). The HTTP layer (multipart parsing, TLS) is not included. Read-back
verification = what the service does after the upload and before the item becomes available (storage Get +
age decryption + SHA-256, the plaintext discarded): an upload through the service costs upload + read-back.

| driver | operation | seconds | MiB/s | x cp | peak RSS MiB |
| --- | --- | --- | --- | --- | --- |
$(printf '%s\n' "${rows[@]}")
<!-- evidence-bench:end -->
EOS
)
out=docs/benchmarks.md
[ -f "$out" ] || printf '# Benchmarks\n\nProduced by the scripts under scripts/bench; timing is reported here, never asserted by tests.\n' >"$out"
write_section evidence-bench "$section"
log "results written to $out"
echo "$section"
