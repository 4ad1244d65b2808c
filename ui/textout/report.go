package textout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"slateo-s3/model"
)

// Report is one document for a support ticket: the checklist, the CloudTrail denials and
// every document read from AWS.
type Report struct {
	// Version is the build of slateo-s3 that wrote the report.
	Version string
	Check   CheckReport
	Events  EventsReport
	// State is what was read from AWS; its documents are shown as read.
	State model.State
}

// reportJSON is the `report --json` document: the check --json members, then the events
// document, the documents read from AWS and the version.
type reportJSON struct {
	Version   string          `json:"version"`
	Settings  json.RawMessage `json:"settings"`
	Caller    json.RawMessage `json:"caller"`
	Checks    json.RawMessage `json:"checks"`
	Summary   json.RawMessage `json:"summary"`
	Events    json.RawMessage `json:"events"`
	Documents any             `json:"documents"`
}

// ReportJSON writes the report as one JSON object. Every string read from AWS is cleaned of
// control and invisible characters.
func ReportJSON(w io.Writer, r Report) error {
	var check, events bytes.Buffer
	if err := CheckJSON(&check, r.Check); err != nil {
		return err
	}
	if err := EventsJSON(&events, r.Events); err != nil {
		return fmt.Errorf("writing events JSON: %w", err)
	}
	var c map[string]json.RawMessage
	if err := json.Unmarshal(check.Bytes(), &c); err != nil {
		return fmt.Errorf("writing report JSON: %w", err)
	}
	docs, err := documentsJSON(r.State)
	if err != nil {
		return err
	}

	out := reportJSON{Version: model.CleanLine(r.Version), Settings: c["settings"],
		Caller: c["caller"], Checks: c["checks"], Summary: c["summary"],
		Events: json.RawMessage(events.Bytes()), Documents: docs}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing report JSON: %w", err)
	}
	return nil
}

// documentsJSON is what was read about the buckets, keys and trails, as a JSON value whose
// strings are all cleaned; bucket and key policies are embedded as JSON when they parse.
func documentsJSON(s model.State) (any, error) {
	raw, err := json.Marshal(struct {
		Buckets []model.BucketState       `json:"buckets"`
		Keys    []model.KeyState          `json:"keys"`
		Trails  model.Fact[[]model.Trail] `json:"trails"`
	}{Buckets: s.Buckets, Keys: s.Keys, Trails: s.Trails})
	if err != nil {
		return nil, fmt.Errorf("encoding the documents read: %w", err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("encoding the documents read: %w", err)
	}
	return cleanValue(v), nil
}

// cleanValue cleans every string in a decoded JSON value; a "policy" fact's value that is
// itself JSON is decoded so that it reads as a document, not as one escaped string.
func cleanValue(v any) any {
	switch t := v.(type) {
	case string:
		return model.Clean(t, true)
	case []any:
		for i := range t {
			t[i] = cleanValue(t[i])
		}
	case map[string]any:
		for k, x := range t {
			t[k] = cleanValue(x)
		}
		if policy, ok := t["policy"].(map[string]any); ok {
			embedPolicy(policy)
		}
	}
	return v
}

func embedPolicy(fact map[string]any) {
	text, ok := fact["value"].(string)
	if !ok {
		return
	}
	var doc any
	if json.Unmarshal([]byte(text), &doc) == nil {
		// Escapes inside the policy (\u001b) become characters only now: clean again.
		fact["value"] = cleanValue(doc)
	}
}

// ReportText writes the report as text: version, the checklist, the denials, then the
// documents read from AWS.
func ReportText(w io.Writer, r Report, color bool) error {
	p := &printer{w: w, st: newStyles(w, color)}
	p.line("slateo-s3 report, version " + model.CleanLine(r.Version))
	p.line("")
	if p.err != nil {
		return p.err
	}
	if err := CheckText(w, r.Check, color); err != nil {
		return err
	}
	p.line("")
	if err := EventsText(w, r.Events, color); err != nil {
		return err
	}
	p.line("")
	p.line(p.st.title.Render("Documents read from AWS"))
	for _, b := range r.State.Buckets {
		p.bucketDocuments(b)
	}
	for _, k := range r.State.Keys {
		p.keyDocuments(k)
	}
	p.trailDocuments(r.State.Trails)
	return p.err
}

func (p *printer) bucketDocuments(b model.BucketState) {
	p.line("")
	p.line(p.st.title.Render(fmt.Sprintf("Bucket %s (%s)", model.CleanLine(b.Name),
		model.CleanLine(string(b.Purpose)))))
	p.fact("presence", describeFact(b.Presence, func(v model.Presence) string {
		return string(v)
	}))
	p.fact("region", describeFact(b.Region, func(v string) string { return v }))
	p.fact("public access block", describeFact(b.PublicAccessBlock,
		func(v model.PublicAccessBlock) string {
			return fmt.Sprintf("BlockPublicAcls=%t IgnorePublicAcls=%t BlockPublicPolicy=%t "+
				"RestrictPublicBuckets=%t", v.BlockPublicAcls, v.IgnorePublicAcls,
				v.BlockPublicPolicy, v.RestrictPublicBuckets)
		}))
	p.fact("policy", describeFact(b.Policy, prettyDocument))
	p.fact("cors", describeFact(b.CORS, func(v []model.CORSRule) string {
		return CORSText(v)
	}))
	p.fact("encryption", describeFact(b.Encryption, func(v model.Encryption) string {
		return fmt.Sprintf("%s %s (bucket key %t)", v.Algorithm, v.KMSKeyID,
			v.BucketKeyEnabled)
	}))
	p.fact("object ownership", describeFact(b.Ownership, func(v string) string { return v }))
	p.fact("versioning", describeFact(b.Versioning, func(v string) string { return v }))
	p.fact("logging", describeFact(b.Logging, func(v model.Logging) string {
		if v.TargetBucket == "" {
			return "off"
		}
		return "to " + v.TargetBucket + "/" + v.TargetPrefix
	}))
}

func (p *printer) keyDocuments(k model.KeyState) {
	p.line("")
	p.line(p.st.title.Render("KMS key " + model.CleanLine(k.Ref)))
	p.fact("metadata", describeFact(k.Metadata, func(v model.KeyMetadata) string {
		return fmt.Sprintf("%s, %s, %s-managed, in %s", v.ARN, v.State, v.Manager, v.Region)
	}))
	p.fact("policy", describeFact(k.Policy, prettyDocument))
}

// fact writes one labelled value, every line cleaned and indented.
func (p *printer) fact(label, value string) {
	lines := strings.Split(strings.TrimRight(model.Clean(value, true), "\n"), "\n")
	p.line(fmt.Sprintf("  %-20s %s", label+":", lines[0]))
	for _, l := range lines[1:] {
		p.line(strings.Repeat(" ", 23) + l)
	}
}

// describeFact renders a fact's value, or says it is not configured or could not be read.
func describeFact[T any](f model.Fact[T], render func(T) string) string {
	switch {
	case f.IsPresent():
		return render(f.Value)
	case f.IsAbsent():
		return "not configured (" + f.Reason + ")"
	case f.MissingAction != "":
		return "could not read (" + f.Reason + "; needs " + f.MissingAction + ")"
	case f.Reason != "":
		return "could not read (" + f.Reason + ")"
	}
	return "not read"
}

// prettyDocument indents a JSON document, or returns it as read when it is not JSON.
func prettyDocument(doc string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(doc), "", "  "); err != nil {
		return doc
	}
	return b.String()
}

// CORSText renders CORS rules as the document put-bucket-cors takes, or "no rules".
func CORSText(rules []model.CORSRule) string {
	if len(rules) == 0 {
		return "no rules"
	}
	return model.CORSDocument(rules...)
}
