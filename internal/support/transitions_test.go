package support

import (
	"slices"
	"testing"
)

// The board's columns are the served status vocabulary in its order (the
// web derives them from it), so that order must be the workflow's: the
// forward path from proposed (each status's one next step), then the
// statuses that end an action from any open one.
func TestStatusVocabularyIsInWorkflowOrder(t *testing.T) {
	var path []Status
	for s := Proposed; ; {
		path = append(path, s)
		n, ok := next[s]
		if !ok {
			break
		}
		s = n
	}
	for _, s := range Statuses {
		if !slices.Contains(path, s) {
			path = append(path, s) // declined, cancelled: reached from any open status
		}
	}
	if got := StatusVocabulary.Values(); !slices.Equal(got, path) {
		t.Errorf("status vocabulary %v, workflow order %v", got, path)
	}
	if !slices.Equal(Statuses, path) {
		t.Errorf("Statuses %v, workflow order %v", Statuses, path)
	}
}
