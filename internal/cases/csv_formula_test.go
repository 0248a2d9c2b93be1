package cases

import "testing"

// A cell a spreadsheet would read as a formula (or as DDE) is exported with
// a leading ': the ASCII starts, their full-width and small forms (＝ ＋ － ＠
// ﹦ ﹢ ﹣ ﹫), the pipe in both widths, tab, CR and LF, also after leading
// spaces; import removes exactly that ', so every value comes back as it was.
func TestFormulaSafe(t *testing.T) {
	guarded := []string{
		"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "'quoted", "''",
		"＝HYPERLINK(\"http://x\")", "＋1", "－1", "＠SUM(A1)", "﹦1", "﹢1", "﹣1", "﹫A1",
		"|cmd", "｜cmd", "=cmd|' /C calc'!A0", " =1", "\u3000＝1", "\u00a0@x", "−1",
	}
	for _, s := range guarded {
		got := formulaSafe(s)
		if got != "'"+s {
			t.Errorf("formulaSafe(%q) = %q, want %q", s, got, "'"+s)
		}
		if back := unFormula(got); back != s {
			t.Errorf("unFormula(formulaSafe(%q)) = %q", s, back)
		}
	}
	plain := []string{"", "Ilham Tohti", "伊力哈木·土赫提", "ئىلھام توختى", "1980~", "a=b", "x|y", "[{\"name\":\"x\"}]", "100%", " plain"}
	for _, s := range plain {
		if got := formulaSafe(s); got != s {
			t.Errorf("formulaSafe(%q) = %q, want it unchanged", s, got)
		}
		if got := unFormula(s); got != s {
			t.Errorf("unFormula(%q) = %q, want it unchanged", s, got)
		}
	}
	// A ' that guards nothing is text and stays on import.
	for _, s := range []string{"'abc", "'", "' x"} {
		if got := unFormula(s); got != s {
			t.Errorf("unFormula(%q) = %q, want it unchanged", s, got)
		}
	}
}
