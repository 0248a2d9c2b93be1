package record

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
)

// JSONList is a list stored as a JSON array in a TEXT column.
type JSONList[T any] []T

// Value implements driver.Valuer.
func (l JSONList[T]) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]T(l))
	return string(b), err
}

// Scan implements sql.Scanner.
func (l *JSONList[T]) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case nil:
		*l = nil
		return nil
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return errors.New("record: JSON list column is not text")
	}
	var out []T
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	*l = out
	return nil
}

// Same reports whether a and b hold the same values in the same order.
func Same[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
