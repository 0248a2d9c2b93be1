package config

import "testing"

func TestMinFreeSpaceSizes(t *testing.T) {
	for v, want := range map[string]int64{"0": 0, "1048576": 1 << 20, "512KiB": 512 << 10, "256MiB": 256 << 20, "2 GiB": 2 << 30} {
		c, err := Load(func(k string) string {
			if k == "HABEAS_MIN_FREE_SPACE" {
				return v
			}
			return ""
		}, nil)
		if err != nil || c.MinFreeSpace != want {
			t.Errorf("HABEAS_MIN_FREE_SPACE=%q: %v, %v; want %d", v, c, err, want)
		}
	}
	if c, err := Load(func(string) string { return "" }, nil); err != nil || c.MinFreeSpace != 256<<20 {
		t.Fatalf("default HABEAS_MIN_FREE_SPACE: %v %v; want 256 MiB", c, err)
	}
	for _, v := range []string{"-1", "1.5GiB", "256MB", "lots", "9999999999GiB"} {
		_, err := Load(func(k string) string {
			if k == "HABEAS_MIN_FREE_SPACE" {
				return v
			}
			return ""
		}, nil)
		if err == nil {
			t.Errorf("HABEAS_MIN_FREE_SPACE=%q accepted", v)
		}
	}
}
