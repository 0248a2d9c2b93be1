package api

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// PropertyEnum returns the enum of a property of a schema in Spec (for
// example "AuditEntry", "action"), for the tests that check the contract
// lists exactly the codes the server writes.
func PropertyEnum(schema, property string) ([]string, error) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum []string `yaml:"enum"`
				} `yaml:"properties"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(Spec, &doc); err != nil {
		return nil, fmt.Errorf("api: read openapi.yaml: %w", err)
	}
	p, ok := doc.Components.Schemas[schema].Properties[property]
	if !ok {
		return nil, fmt.Errorf("api: no property %s.%s in openapi.yaml", schema, property)
	}
	return p.Enum, nil
}
