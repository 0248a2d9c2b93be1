// Command loadbench is the load generator of scripts/bench/scale.sh: it
// drives a running Habeas server (or the bare baseline server it can start
// itself) with concurrent HTTP clients and reports throughput, latency
// percentiles and errors per scenario as JSON lines.
//
//	loadbench baseline -listen ADDR [-database-url URL | -sqlite PATH]
//	    serve GET /case/{id}: a bare gin handler doing one indexed query
//	    (SELECT ... FROM cases WHERE id = ?) on the same database, no auth,
//	    no audit: the ceiling a request through Habeas is compared with.
//	loadbench run -url URL -users FILE -c 50 -d 60s -scenarios case,list,...
//	    sign the users in, collect the case ids and names each may see, then
//	    run each scenario for -d with -c clients and print one JSON line each.
//	loadbench report -in results.jsonl -doc docs/benchmarks.md ...
//	    write the results as a Markdown section between markers.
//
// Scenarios: signin, case, list, search_zh, search_pinyin, timeline, event,
// deadlines, deadlines_summary (the dashboard's time-limit card), board
// (the support board),
// mix (a weighted mix of the others), baseline_case (GET /case/{id} on the
// baseline server of -baseline-url).
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "baseline":
		err = baselineMain(os.Args[2:])
	case "run":
		err = runMain(os.Args[2:])
	case "report":
		err = reportMain(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: loadbench baseline|run|report [flags] (see the package comment)")
	os.Exit(2)
}
