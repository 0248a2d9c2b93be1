package audit

// SetMaxDenialBuckets lowers the number of (actor, route) pairs d counts
// separately in a minute (tests of the overflow).
func SetMaxDenialBuckets(d *Denials, n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.maxBuckets = n
}
