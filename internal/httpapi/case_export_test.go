package httpapi_test

// caseExportRoutes are the exports for other tools in the one access matrix
// (access_matrix_test.go): a case's JSON export for whoever sees the case
// (404 otherwise), its import for managers (201; 403 for the others: the
// route names no case, so there is nothing to hide). The round trip, the
// observer's view and the refused documents are in internal/caseexport.
func caseExportRoutes() []route {
	return []route{
		{"export a case (JSON)", "GET", "/cases/:id/export.json", nil, "", readRule, ""},
		{"import a case (JSON)", "POST", "/cases/import", func(*env, objects) any {
			return map[string]any{"schema": "habeas.case-export/1", "detainee": map[string]any{"name": "Imported"}, "case": map[string]any{"title": "Imported"}}
		}, "", importCaseRule, ""},
		{"export the visible cases (CSV)", "GET", "/cases/export.csv", nil, "", always(200), ""},
	}
}

func importCaseRule(role string, _ bool) int {
	if manages(role) {
		return 201
	}
	return 403
}
