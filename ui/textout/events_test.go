package textout

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"slateo-s3/model"
)

var eventsStart = time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)

func sampleEvents() EventsReport {
	return EventsReport{
		Start: eventsStart, End: eventsStart.Add(24 * time.Hour), Pages: 3, Scanned: 142,
		Events: []model.Event{
			{Time: eventsStart.Add(2 * time.Hour), Source: "s3.amazonaws.com",
				Name:         "ListObjects",
				Principal:    "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/q",
				Resource:     "arn:aws:s3:::acme-slateo-cache",
				ErrorCode:    "AccessDenied",
				ErrorMessage: "Access Denied", SourceIP: "203.0.113.7",
				Check:     "policy-resources",
				Diagnosis: "no bucket policy statement allows the org role s3:ListBucket"},
			{Time: eventsStart.Add(5 * time.Hour), Source: "kms.amazonaws.com", Name: "Decrypt",
				Principal: "arn:aws:iam::111122223333:user/alice",
				Resource:  "arn:aws:kms:us-west-2:111122223333:key/k-1",
				ErrorCode: "AccessDenied", SourceIP: "198.51.100.2",
				Diagnosis: "your credentials lack kms:Decrypt"},
		},
		Notes: []string{"no trail records S3 data events"},
	}
}

func TestEventsText(t *testing.T) {
	var out bytes.Buffer
	if err := EventsText(&out, sampleEvents(), false); err != nil {
		t.Fatal(err)
	}
	golden(t, "events.txt", out.String())
	if a, b := strings.Index(out.String(), "Decrypt"), strings.Index(out.String(),
		"ListObjects"); a > b {
		t.Errorf("the newer event is not printed first:\n%s", out.String())
	}
}

func TestEventsJSON(t *testing.T) {
	var out bytes.Buffer
	if err := EventsJSON(&out, sampleEvents()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Window struct {
			Start, End time.Time
		}
		Pages, Scanned int
		Events         []map[string]any
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if !doc.Window.Start.Equal(eventsStart) || doc.Pages != 3 || doc.Scanned != 142 {
		t.Errorf("window and counts = %+v", doc)
	}
	want := []string{"time", "source", "name", "principal", "resource", "error_code",
		"error_message", "source_ip", "check", "diagnosis"}
	if len(doc.Events) != 2 {
		t.Fatalf("got %d events, want 2", len(doc.Events))
	}
	for _, key := range want {
		if _, ok := doc.Events[0][key]; !ok {
			t.Errorf("event has no %q field: %v", key, doc.Events[0])
		}
	}
	if len(doc.Events[0]) != len(want) {
		t.Errorf("event has fields %v, want exactly %v", doc.Events[0], want)
	}
	if doc.Events[0]["name"] != "Decrypt" {
		t.Errorf("first event is %v, want the newest (Decrypt)", doc.Events[0]["name"])
	}
}

func TestEventsJSONEmptyList(t *testing.T) {
	var out bytes.Buffer
	if err := EventsJSON(&out, EventsReport{Start: eventsStart, End: eventsStart}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"events": []`) {
		t.Errorf("no events should print an empty list:\n%s", out.String())
	}
}

// hostile are escape sequences an attacker could plant in fields AWS echoes back (an object
// key, a session name, a user agent): cursor moves, screen clears, OSC 52 clipboard writes,
// C1 controls and bidirectional overrides.
var hostile = []string{"\x1b[2J", "\x1b[10;10H", "\x1b]52;c;ZXZpbA==\x07", "\u009b31m",
	"\u202e", "\r", "\x1b]0;title\x1b\\"}

func TestEventsOutputDropsEscapeSequences(t *testing.T) {
	spiked := func(s string) string { return s + strings.Join(hostile, "x") }
	e := model.Event{Time: eventsStart, Source: spiked("s3"), Name: spiked("GetObject"),
		Principal: spiked("arn"), Resource: spiked("arn:aws:s3:::b/k"),
		ErrorCode: spiked("AccessDenied"), ErrorMessage: spiked("Access Denied"),
		SourceIP: spiked("1.2.3.4"), Check: spiked("cors"), Diagnosis: spiked("d"),
		Record: spiked("{}")}
	r := EventsReport{Start: eventsStart, End: eventsStart, Events: []model.Event{e},
		Notes: []string{spiked("note")}}
	writers := map[string]func(*bytes.Buffer) error{
		"text":  func(b *bytes.Buffer) error { return EventsText(b, r, false) },
		"color": func(b *bytes.Buffer) error { return EventsText(b, r, true) },
		"json":  func(b *bytes.Buffer) error { return EventsJSON(b, r) },
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			if err := write(&out); err != nil {
				t.Fatal(err)
			}
			text := out.String()
			if name == "color" {
				text = stripSGR(text)
			}
			for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\r", "\\u001b",
				"\\u0007", "\\r"} {
				if strings.Contains(text, bad) {
					t.Errorf("output holds %q:\n%q", bad, text)
				}
			}
		})
	}
}

// stripSGR removes the colour sequences the printer itself writes (ESC [ digits ; m), so
// that any ESC left over came from the data.
func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			if j < len(s) && s[j] == 'm' {
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
