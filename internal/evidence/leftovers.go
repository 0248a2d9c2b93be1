package evidence

import (
	"context"
	"errors"
	"time"
)

// leftoverRetries are the waits before each new attempt to remove what a
// failed upload left in storage when the storage itself failed at the time
// (a hung or dead S3 server: the driver answers every call at once with an
// error for a few seconds after a deadline passed). About ten minutes in
// all; what is still there then is left to reconcile, and to the crash
// recovery of the next start.
var leftoverRetries = []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second,
	80 * time.Second, 160 * time.Second, 300 * time.Second}

// removeStored removes what an upload stored under key: the object and,
// with multipart uploads (S3), any incomplete multipart upload of it. Both
// are attempted; the errors are joined.
func (s *Service) removeStored(ctx context.Context, key string) error {
	err := s.vault.store.Delete(ctx, key)
	if mp, ok := s.vault.store.(multipartStore); ok {
		if _, aerr := mp.AbortIncompleteUploads(ctx, key, 0); aerr != nil {
			err = errors.Join(err, aerr)
		}
	}
	return err
}

// removeStoredLater retries removeStored in the background with growing
// waits, so that an upload cut off by a storage outage leaves nothing once
// the storage answers again, without waiting for the next reconcile.
func (s *Service) removeStoredLater(itemID, key string) {
	go func() {
		for _, wait := range leftoverRetries {
			t := time.NewTimer(wait)
			<-t.C
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			err := s.removeStored(ctx, key)
			cancel()
			if err == nil {
				s.log.Info("evidence: removed what a failed upload left in storage", "item", itemID)
				return
			}
		}
		s.log.Warn("evidence: could not remove what a failed upload left in storage; reconcile will", "item", itemID)
	}()
}
