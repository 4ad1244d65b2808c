package textout

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"slateo-s3/model"
)

// Permission is an IAM action the admin's credentials lack, as the check output lists it
// at the top.
type Permission struct {
	Action   string
	Resource string
	Reason   string
}

// CheckReport is everything one run of the checklist prints.
type CheckReport struct {
	Settings model.Settings
	Caller   model.Fact[model.Caller]
	Checks   []model.Check
	Missing  []Permission
}

// CheckText writes the report as text: who ran it, the missing permissions, then the checks
// grouped by bucket (account checks last), fixes indented under the problems, and a summary.
func CheckText(w io.Writer, r CheckReport, color bool) error {
	p := &printer{w: w, st: newStyles(w, color)}
	p.header(r)
	p.missing(r.Missing)
	width := idWidth(r.Checks)
	for _, g := range groupChecks(r.Settings, r.Checks) {
		p.line("")
		p.line(p.st.title.Render(g.title))
		p.seen = map[string]string{}
		for _, c := range g.checks {
			p.check(c, width)
		}
	}
	p.line("")
	sum := model.Summarize(r.Checks)
	p.line(summaryLine(sum))
	if sum.Fail > 0 {
		p.line("`slateo-s3 plan` shows the changes slateo-s3 can make for you; " +
			"`slateo-s3 apply` makes them after asking.")
	}
	return p.err
}

// printer writes lines and keeps the first write error.
type printer struct {
	w   io.Writer
	st  styles
	err error
	// seen maps each long block already printed in the current group to the check that
	// printed it, so that a policy quoted by three policy checks is printed once.
	seen map[string]string
}

func (p *printer) line(s string) {
	if p.err == nil {
		_, p.err = io.WriteString(p.w, s+"\n")
	}
}

func (p *printer) header(r CheckReport) {
	s := r.Settings
	p.line(p.st.title.Render(fmt.Sprintf("Slateo S3 check: org %s, region %s",
		model.CleanLine(s.OrgSlug), model.CleanLine(s.EffectiveRegion()))))
	p.line("Org role: " + model.CleanLine(s.RoleARN()))
	switch {
	case r.Caller.IsPresent():
		p.line(fmt.Sprintf("Caller:   %s (account %s)", model.CleanLine(r.Caller.Value.ARN),
			model.CleanLine(r.Caller.Value.Account)))
	default:
		p.line("Caller:   unknown: " + model.CleanLine(r.Caller.Reason))
	}
	if s.EndpointURL != "" {
		p.line("Endpoint: " + model.CleanLine(s.EndpointURL))
	}
}

func (p *printer) missing(perms []Permission) {
	if len(perms) == 0 {
		return
	}
	p.line("")
	p.line(p.st.title.Render("Missing permissions"))
	p.line("Your credentials may not read these, so the checks that need them are unknown:")
	for _, m := range perms {
		line := "  " + model.CleanLine(m.Action)
		if m.Resource != "" {
			line += " on " + model.CleanLine(m.Resource)
		}
		if m.Reason != "" {
			line += ": " + model.CleanLine(m.Reason)
		}
		p.line(line)
	}
}

func (p *printer) check(c model.Check, width int) {
	label := fmt.Sprintf("%-9s", StatusLabel(c.Status))
	if st, ok := p.st.status[c.Status]; ok {
		label = st.Render(label)
	}
	p.line(fmt.Sprintf("  %s  %-*s  %s", label, width, model.CleanLine(c.ID),
		model.CleanLine(c.Summary)))
	if c.Status == model.Pass || c.Status == model.Skip {
		return
	}
	// Detail and fix start under the check id, clear of the status column.
	indent := strings.Repeat(" ", 13)
	p.block(indent, "detail: ", c.Detail, c.ID)
	p.block(indent, "fix:    ", c.Fix, c.ID)
}

// repeatLines is the length from which a block printed again in the same group is replaced
// by a pointer to its first appearance.
const repeatLines = 4

// block writes a labelled, possibly multi-line value, every line indented under the check.
func (p *printer) block(indent, label, value, id string) {
	value = strings.TrimRight(model.Clean(value, true), "\n")
	if value == "" {
		return
	}
	lines := strings.Split(value, "\n")
	if len(lines) >= repeatLines && p.seen != nil {
		if first, ok := p.seen[label+value]; ok {
			p.line(indent + p.st.faint.Render(label) + "the same as " + first + "'s above")
			return
		}
		p.seen[label+value] = model.CleanLine(id)
	}
	p.line(indent + p.st.faint.Render(label) + lines[0])
	pad := strings.Repeat(" ", len(label))
	for _, l := range lines[1:] {
		p.line(indent + pad + l)
	}
}

func idWidth(checks []model.Check) int {
	w := 0
	for _, c := range checks {
		w = max(w, len(model.CleanLine(c.ID)))
	}
	return w
}

// checkGroup is the checks of one bucket, or of the account.
type checkGroup struct {
	title  string
	checks []model.Check
}

// groupChecks keeps the checklist's order of buckets and puts account checks last.
func groupChecks(s model.Settings, checks []model.Check) []checkGroup {
	var groups []checkGroup
	index := map[string]int{}
	var account []model.Check
	for _, c := range checks {
		if c.Bucket == "" {
			account = append(account, c)
			continue
		}
		i, ok := index[c.Bucket]
		if !ok {
			i = len(groups)
			index[c.Bucket] = i
			groups = append(groups, checkGroup{title: bucketTitle(s, c.Bucket)})
		}
		groups[i].checks = append(groups[i].checks, c)
	}
	if len(account) > 0 {
		groups = append(groups, checkGroup{title: "Account", checks: account})
	}
	return groups
}

func bucketTitle(s model.Settings, bucket string) string {
	title := "Bucket " + model.CleanLine(bucket)
	switch bucket {
	case s.UploadsBucketName():
		title += " (uploads)"
	case s.CacheBucketName():
		title += " (cache)"
	}
	return title
}

func summaryLine(s model.Summary) string {
	return fmt.Sprintf("Summary: %d pass, %d fail, %d warn, %d unknown, %d skip",
		s.Pass, s.Fail, s.Warn, s.Unknown, s.Skip)
}

// checkJSON is the contract of `check --json`: exactly these four members.
type checkJSON struct {
	Settings settingsJSON  `json:"settings"`
	Caller   callerJSON    `json:"caller"`
	Checks   []model.Check `json:"checks"`
	Summary  model.Summary `json:"summary"`
}

// settingsJSON is the settings as used: bucket names and region resolved, with the role.
type settingsJSON struct {
	OrgSlug       string `json:"org_slug"`
	Company       string `json:"company,omitempty"`
	UploadsBucket string `json:"uploads_bucket"`
	CacheBucket   string `json:"cache_bucket"`
	Region        string `json:"region"`
	KMSKey        string `json:"kms_key,omitempty"`
	OrgID         string `json:"org_id,omitempty"`
	Profile       string `json:"profile,omitempty"`
	EndpointURL   string `json:"endpoint_url,omitempty"`
	RoleARN       string `json:"role_arn"`
}

// callerJSON is who ran the check, or why that is unknown.
type callerJSON struct {
	Account string `json:"account"`
	ARN     string `json:"arn"`
	UserID  string `json:"user_id"`
	Error   string `json:"error,omitempty"`
}

// CheckJSON writes the report as one JSON object: settings, caller, checks and summary.
// Strings from AWS are cleaned of control and invisible characters, newlines kept.
func CheckJSON(w io.Writer, r CheckReport) error {
	checks := make([]model.Check, len(r.Checks))
	for i, c := range r.Checks {
		checks[i] = cleanCheck(c)
	}
	out := checkJSON{
		Settings: newSettingsJSON(r.Settings),
		Caller:   newCallerJSON(r.Caller),
		Checks:   checks,
		Summary:  model.Summarize(r.Checks),
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing check JSON: %w", err)
	}
	return nil
}

func newSettingsJSON(s model.Settings) settingsJSON {
	return settingsJSON{OrgSlug: s.OrgSlug, Company: s.Company,
		UploadsBucket: s.UploadsBucketName(), CacheBucket: s.CacheBucketName(),
		Region: s.EffectiveRegion(), KMSKey: s.KMSKey, OrgID: s.OrgID, Profile: s.Profile,
		EndpointURL: s.EndpointURL, RoleARN: s.RoleARN()}
}

func newCallerJSON(f model.Fact[model.Caller]) callerJSON {
	if !f.IsPresent() {
		reason := f.Reason
		if reason == "" {
			reason = "not read"
		}
		return callerJSON{Error: model.CleanLine(reason)}
	}
	c := f.Value
	return callerJSON{Account: model.CleanLine(c.Account), ARN: model.CleanLine(c.ARN),
		UserID: model.CleanLine(c.UserID)}
}

func cleanCheck(c model.Check) model.Check {
	c.ID = model.CleanLine(c.ID)
	c.Bucket = model.CleanLine(c.Bucket)
	c.Summary = model.CleanLine(c.Summary)
	c.Detail = model.Clean(c.Detail, true)
	c.Fix = model.Clean(c.Fix, true)
	return c
}
