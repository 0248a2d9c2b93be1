package db

// Cond is a SQL condition with its bound arguments, as internal/access
// compiles its rules (access.Cond is this type). It is declared here, below
// the access policy, so that a package access itself builds on (internal/audit)
// can take a condition without importing the policy. The SQL text is built
// only from constants written in code; user input is only ever an argument.
type Cond struct {
	SQL  string
	Args []any
}
