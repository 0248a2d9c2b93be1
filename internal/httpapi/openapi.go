package httpapi

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"

	"github.com/habeas-org/habeas/api"
)

func serveSpec(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", api.Spec)
}

// docsPage renders the contract for humans, server-side, with no script and
// no third-party assets (the page must work offline and under a strict CSP).
func docsPage() (gin.HandlerFunc, error) {
	page, err := renderDocs(api.Spec)
	if err != nil {
		return nil, err
	}
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-cache")
		c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		c.Data(http.StatusOK, "text/html; charset=utf-8", page)
	}, nil
}

type specDoc struct {
	Info struct {
		Title       string `yaml:"title"`
		Version     string `yaml:"version"`
		Description string `yaml:"description"`
	} `yaml:"info"`
	Paths      map[string]map[string]yaml.Node `yaml:"paths"`
	Components struct {
		Schemas map[string]struct {
			Description string                    `yaml:"description"`
			Required    []string                  `yaml:"required"`
			Properties  map[string]map[string]any `yaml:"properties"`
		} `yaml:"schemas"`
	} `yaml:"components"`
}

type docOperation struct {
	Method, Path, Summary, Description string
	Parameters                         []docParam
	Responses                          []docParam
	Security                           string
}

type docParam struct{ Name, In, Description string }

type docSchema struct {
	Name, Description string
	Fields            []docParam
}

var httpMethods = []string{"get", "post", "put", "patch", "delete"}

func renderDocs(spec []byte) ([]byte, error) {
	var d specDoc
	if err := yaml.Unmarshal(spec, &d); err != nil {
		return nil, fmt.Errorf("parse openapi.yaml: %w", err)
	}
	var ops []docOperation
	paths := make([]string, 0, len(d.Paths))
	for p := range d.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, m := range httpMethods {
			node, ok := d.Paths[p][m]
			if !ok {
				continue
			}
			var op struct {
				Summary     string `yaml:"summary"`
				Description string `yaml:"description"`
				Parameters  []struct {
					Name        string `yaml:"name"`
					In          string `yaml:"in"`
					Description string `yaml:"description"`
					Ref         string `yaml:"$ref"`
				} `yaml:"parameters"`
				Responses map[string]struct {
					Description string `yaml:"description"`
					Ref         string `yaml:"$ref"`
				} `yaml:"responses"`
				Security []map[string]any `yaml:"security"`
			}
			if err := node.Decode(&op); err != nil {
				return nil, fmt.Errorf("openapi.yaml %s %s: %w", m, p, err)
			}
			o := docOperation{Method: strings.ToUpper(m), Path: p, Summary: op.Summary, Description: op.Description, Security: "bearer token"}
			if op.Security != nil && len(op.Security) == 0 {
				o.Security = "public"
			}
			for _, prm := range op.Parameters {
				name := prm.Name
				if prm.Ref != "" {
					name = strings.TrimPrefix(prm.Ref, "#/components/parameters/")
				}
				o.Parameters = append(o.Parameters, docParam{Name: name, In: prm.In, Description: prm.Description})
			}
			codes := make([]string, 0, len(op.Responses))
			for code := range op.Responses {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			for _, code := range codes {
				r := op.Responses[code]
				desc := r.Description
				if r.Ref != "" {
					desc = strings.TrimPrefix(r.Ref, "#/components/responses/")
				}
				o.Responses = append(o.Responses, docParam{Name: code, Description: desc})
			}
			ops = append(ops, o)
		}
	}
	var schemas []docSchema
	for name, s := range d.Components.Schemas {
		ds := docSchema{Name: name, Description: s.Description}
		req := map[string]bool{}
		for _, r := range s.Required {
			req[r] = true
		}
		for pn, pv := range s.Properties {
			t := fmt.Sprint(pv["type"])
			if ref, ok := pv["$ref"].(string); ok {
				t = strings.TrimPrefix(ref, "#/components/schemas/")
			}
			if req[pn] {
				t += ", required"
			}
			desc, _ := pv["description"].(string)
			ds.Fields = append(ds.Fields, docParam{Name: pn, In: t, Description: desc})
		}
		sort.Slice(ds.Fields, func(i, j int) bool { return ds.Fields[i].Name < ds.Fields[j].Name })
		schemas = append(schemas, ds)
	}
	sort.Slice(schemas, func(i, j int) bool { return schemas[i].Name < schemas[j].Name })
	var buf bytes.Buffer
	err := docsTemplate.Execute(&buf, map[string]any{
		"Title": d.Info.Title, "Version": d.Info.Version, "Description": d.Info.Description,
		"Operations": ops, "Schemas": schemas,
	})
	if err != nil {
		return nil, fmt.Errorf("render api docs: %w", err)
	}
	return buf.Bytes(), nil
}

var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} API {{.Version}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1b1b1b}
h2{border-bottom:1px solid #ccc;padding-bottom:.25rem;margin-top:2.5rem}
section{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:monospace}
code{font-family:monospace}.pub{color:#0a6b2b}.auth{color:#7a4b00}
table{border-collapse:collapse;width:100%;font-size:.92rem}td,th{border-top:1px solid #eee;text-align:left;padding:.2rem .4rem;vertical-align:top}
p.desc{white-space:pre-wrap}
</style></head><body>
<h1>{{.Title}} API <small>{{.Version}}</small></h1>
<p class="desc">{{.Description}}</p>
<p>Machine-readable contract: <a href="/api/openapi.yaml">/api/openapi.yaml</a> (OpenAPI 3.1).</p>
<h2>Operations</h2>
{{range .Operations}}<section id="{{.Method}}-{{.Path}}">
<div><span class="m">{{.Method}}</span> <code>{{.Path}}</code> — {{.Summary}} <small class="{{if eq .Security "public"}}pub{{else}}auth{{end}}">({{.Security}})</small></div>
{{if .Description}}<p class="desc">{{.Description}}</p>{{end}}
{{if .Parameters}}<table><tr><th>parameter</th><th>in</th><th>description</th></tr>{{range .Parameters}}<tr><td><code>{{.Name}}</code></td><td>{{.In}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
<table><tr><th>status</th><th>response</th></tr>{{range .Responses}}<tr><td>{{.Name}}</td><td>{{.Description}}</td></tr>{{end}}</table>
</section>{{end}}
<h2>Schemas</h2>
{{range .Schemas}}<section id="schema-{{.Name}}"><h3>{{.Name}}</h3>{{if .Description}}<p class="desc">{{.Description}}</p>{{end}}
{{if .Fields}}<table><tr><th>field</th><th>type</th><th>description</th></tr>{{range .Fields}}<tr><td><code>{{.Name}}</code></td><td>{{.In}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
</section>{{end}}
</body></html>
`))
