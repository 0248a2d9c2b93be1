// Package drills holds the fault drills of issue 23: Go tests, behind the
// build tag drills, that run real habeas server processes (built once per
// run) and break them and what they depend on (SIGKILL mid-upload and
// mid-write, S3 killed and hung, PostgreSQL backends terminated and
// connections refused, a full disk, SIGTERM mid-transfer, backup tampering,
// concurrent If-Match writers), then check that no acknowledged write was
// lost, nothing half-stored was left, and every verify passes.
//
//	go test -tags drills -count=1 -parallel 8 ./internal/drills/
//
// They need PostgreSQL (HABEAS_TEST_POSTGRES_URL), versitygw
// (HABEAS_TEST_VERSITYGW_BIN) and root for a tmpfs mount; scripts/test.sh
// provides all three. docs/operations.md says what each drill proves.
package drills
