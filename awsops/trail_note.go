package awsops

import (
	"encoding/json"
	"fmt"
	"strings"

	"slateo-s3/model"
)

// noDataEventsNote says that no trail records the buckets' S3 data events, and gives the
// AWS CLI command that makes one record them.
func noDataEventsNote(trails []model.Trail, buckets []string) string {
	var names []string
	for _, b := range buckets {
		if b != "" {
			names = append(names, b)
		}
	}
	head := fmt.Sprintf("no trail records S3 data events for %s, so object-level denials "+
		"(GetObject, PutObject, DeleteObject, tagging) cannot be searched",
		strings.Join(names, " and "))
	t, ok := trailToExtend(trails)
	if !ok {
		return head + "; create a trail (its log bucket's policy must let CloudTrail write), " +
			"then turn them on: aws cloudtrail create-trail --name slateo-buckets " +
			"--s3-bucket-name LOG-BUCKET && aws cloudtrail start-logging --name " +
			"slateo-buckets && " + selectorsCommand("slateo-buckets", nil, names)
	}
	existing := t.Selectors.Value.Advanced
	if len(existing) == 0 {
		existing = basicToAdvanced(t.Selectors.Value.Basic)
	}
	return head + "; turn them on for trail " + model.CleanLine(t.Name) + " (this keeps what " +
		"it records now): " + selectorsCommand(t.ARN, existing, names)
}

// trailToExtend picks the trail to add data events to: the first that is logging, else the
// first.
func trailToExtend(trails []model.Trail) (model.Trail, bool) {
	for _, t := range trails {
		if t.IsLogging.IsPresent() && t.IsLogging.Value {
			return t, true
		}
	}
	if len(trails) > 0 {
		return trails[0], true
	}
	return model.Trail{}, false
}

// cliSelector is an advanced event selector as the AWS CLI takes it.
type cliSelector struct {
	Name           string     `json:"Name,omitempty"`
	FieldSelectors []cliField `json:"FieldSelectors"`
}

type cliField struct {
	Field         string   `json:"Field"`
	Equals        []string `json:"Equals,omitempty"`
	StartsWith    []string `json:"StartsWith,omitempty"`
	EndsWith      []string `json:"EndsWith,omitempty"`
	NotEquals     []string `json:"NotEquals,omitempty"`
	NotStartsWith []string `json:"NotStartsWith,omitempty"`
	NotEndsWith   []string `json:"NotEndsWith,omitempty"`
}

// selectorsCommand is the put-event-selectors command that records the buckets' S3 data
// events. PutEventSelectors replaces all of a trail's selectors, so the command keeps the
// trail's advanced selectors, or, for a trail with basic selectors, its management events.
func selectorsCommand(trail string, existing []model.AdvancedSelector, buckets []string) string {
	var sels []cliSelector
	for _, a := range existing {
		s := cliSelector{Name: a.Name}
		for _, f := range a.FieldSelectors {
			s.FieldSelectors = append(s.FieldSelectors, cliField(f))
		}
		sels = append(sels, s)
	}
	if len(sels) == 0 {
		sels = append(sels, cliSelector{Name: "Management events", FieldSelectors: []cliField{
			{Field: "eventCategory", Equals: []string{"Management"}},
		}})
	}
	var arns []string
	for _, b := range buckets {
		arns = append(arns, model.BucketARN(b)+"/")
	}
	sels = append(sels, cliSelector{Name: "Slateo buckets data events",
		FieldSelectors: []cliField{
			{Field: "eventCategory", Equals: []string{"Data"}},
			{Field: "resources.type", Equals: []string{"AWS::S3::Object"}},
			{Field: "resources.ARN", StartsWith: arns},
		}})
	doc, _ := json.Marshal(sels)
	return "aws cloudtrail put-event-selectors --trail-name " +
		shellQuote(model.CleanLine(trail)) +
		" --advanced-event-selectors " + shellQuote(model.CleanLine(string(doc)))
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"+
		"0123456789-_.:/=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// basicToAdvanced restates basic event selectors as advanced ones, so that a command that
// writes advanced selectors keeps what the basic ones recorded.
func basicToAdvanced(basic []model.BasicSelector) []model.AdvancedSelector {
	var out []model.AdvancedSelector
	management := false
	for _, b := range basic {
		management = management || b.IncludeManagementEvents
		for _, d := range b.DataResources {
			fields := []model.FieldSelector{
				{Field: "eventCategory", Equals: []string{"Data"}},
				{Field: "resources.type", Equals: []string{d.Type}},
			}
			if len(d.Values) > 0 {
				fields = append(fields,
					model.FieldSelector{Field: "resources.ARN", StartsWith: d.Values})
			}
			if ro := readOnlyField(b.ReadWriteType); ro != nil {
				fields = append(fields, *ro)
			}
			out = append(out, model.AdvancedSelector{Name: "Data events " + d.Type,
				FieldSelectors: fields})
		}
	}
	if management {
		out = append([]model.AdvancedSelector{{Name: "Management events",
			FieldSelectors: []model.FieldSelector{
				{Field: "eventCategory", Equals: []string{"Management"}},
			}}}, out...)
	}
	return out
}

func readOnlyField(readWrite string) *model.FieldSelector {
	switch readWrite {
	case "ReadOnly":
		return &model.FieldSelector{Field: "readOnly", Equals: []string{"true"}}
	case "WriteOnly":
		return &model.FieldSelector{Field: "readOnly", Equals: []string{"false"}}
	}
	return nil
}
