package model

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// NoDocument is how PrettyJSON and DiffDocuments show a document that does not exist.
const NoDocument = "(none)"

// PrettyJSON indents a JSON document two spaces per level, keeping its member order, so that
// two renderings of the same text are identical. Text that is not JSON is returned as it is;
// the empty string becomes NoDocument.
func PrettyJSON(doc string) string {
	if strings.TrimSpace(doc) == "" {
		return NoDocument + "\n"
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(strings.TrimSpace(doc)), "", "  "); err != nil {
		return ensureNewline(doc)
	}
	b.WriteByte('\n')
	return b.String()
}

// DiffDocuments returns a unified line diff of two JSON documents after PrettyJSON, labelled
// "current" and "after"; it is empty when they render the same. The text may hold strings
// from AWS: pass it through Clean before printing it.
func DiffDocuments(before, after string) string {
	return udiff.Unified("current", "after", PrettyJSON(before), PrettyJSON(after))
}

func ensureNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}
