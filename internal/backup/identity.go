package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
)

// ErrWrongIdentity means the configured evidence identity cannot decrypt
// the objects of a backup.
var ErrWrongIdentity = errors.New("the configured evidence age identity does not decrypt this backup's evidence objects")

// CheckIdentity tells whether the age identity text decrypts the evidence
// objects of the backup in dir: it opens the header of the first object
// (only the file key is unwrapped; no content is decrypted). A backup
// without objects passes.
func CheckIdentity(dir string, m *Manifest, identityText string) error {
	ids, err := age.ParseIdentities(strings.NewReader(identityText))
	if err != nil {
		return errors.New("the evidence age identity is not an age identity (AGE-SECRET-KEY-1...)") // the parse error may quote the secret
	}
	for _, f := range m.Files {
		if f.Kind != KindObject {
			continue
		}
		in, err := os.Open(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			return fmt.Errorf("open %s: %w", f.Path, err)
		}
		defer in.Close()
		if _, err := age.Decrypt(in, ids...); err != nil {
			var noMatch *age.NoIdentityMatchError
			if errors.As(err, &noMatch) {
				return ErrWrongIdentity
			}
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		return nil
	}
	return nil
}
