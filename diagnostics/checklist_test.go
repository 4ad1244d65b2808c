package diagnostics

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"slateo-s3/model"
)

func TestChecklistHealthyAllPass(t *testing.T) {
	checks := Checklist(healthyState())
	want := 2*len(BucketCheckIDs) + len(AccountCheckIDs)
	if len(checks) != want {
		t.Fatalf("got %d checks, want %d", len(checks), want)
	}
	for _, c := range checks {
		t.Logf("%-20s %-20s %-7s %s", c.ID, c.Bucket, c.Status, c.Summary)
		wantStatus := model.Pass
		if c.ID == IDCORS && c.Bucket == "acme-slateo-uploads" || c.ID == IDSlateoObjects {
			wantStatus = model.Skip
		}
		if c.Status != wantStatus {
			t.Errorf("%s %s: status %s (%s), want %s\n%s", c.ID, c.Bucket, c.Status,
				c.Summary, wantStatus, c.Detail)
		}
		if c.Status == model.Pass && c.Fix != "" {
			t.Errorf("%s %s: pass with a fix %q", c.ID, c.Bucket, c.Fix)
		}
		if c.Summary == "" || strings.Contains(c.Summary, "\n") {
			t.Errorf("%s %s: summary must be one non-empty line: %q", c.ID, c.Bucket, c.Summary)
		}
	}
}

func TestChecklistOrder(t *testing.T) {
	checks := Checklist(healthyState())
	var got []string
	for _, c := range checks {
		got = append(got, c.Bucket+"/"+c.ID)
	}
	var want []string
	for _, b := range []string{"acme-slateo-uploads", "acme-slateo-cache"} {
		for _, id := range BucketCheckIDs {
			want = append(want, b+"/"+id)
		}
	}
	for _, id := range AccountCheckIDs {
		want = append(want, "/"+id)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("order:\n got %v\nwant %v", got, want)
	}
}

func TestChecklistWithoutOrgSlug(t *testing.T) {
	s := healthyState()
	s.Settings.OrgSlug = ""
	checks := Checklist(s)
	if len(checks) != 2*len(BucketCheckIDs)+len(AccountCheckIDs) {
		t.Fatalf("got %d checks", len(checks))
	}
	for _, id := range []string{IDPolicyPrincipal, IDPolicyDeny, IDCORS, IDKMSGrant} {
		if c := find(t, checks, id, cacheBucket); c.Status != model.Unknown {
			t.Errorf("%s: %s, want unknown without an org slug", id, c.Status)
		}
	}
	if c := find(t, checks, IDVersioning, cacheBucket); c.Status != model.Pass {
		t.Errorf("versioning: %s, want pass (it does not need the slug)", c.Status)
	}
}

func TestChecklistIsDeterministic(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s := withCachePolicy(readFixture(t, filepath.Base(f)))
			first := Checklist(s)
			for range 20 {
				if again := Checklist(s); !reflect.DeepEqual(first, again) {
					t.Fatalf("two runs differ:\n%v\n%v", first, again)
				}
			}
		})
	}
}
