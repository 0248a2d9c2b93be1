package main

import (
	"context"
	"io"
	"strings"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/evidence"
)

// uploadFile uploads one file with a title through the evidence service.
func uploadFile(ctx context.Context, svc *evidence.Service, p *actor.Principal, caseID, filename, typ string, r io.Reader, title string) (evidence.View, error) {
	parts := []evidence.UploadPart{{Name: "file", Filename: filename, Type: typ, Body: r},
		{Name: "title", Body: strings.NewReader(title)}}
	v, _, err := svc.Upload(ctx, p, caseID, evidence.UploadInput{Next: func() (evidence.UploadPart, error) {
		if len(parts) == 0 {
			return evidence.UploadPart{}, io.EOF
		}
		part := parts[0]
		parts = parts[1:]
		return part, nil
	}})
	return v, err
}
