package diagnostics

import (
	"slices"
	"testing"

	"slateo-s3/model"
)

func denied[T any](action string) model.Fact[T] {
	return model.Unreadable[T]("AccessDenied", action)
}

// unreadableBucket exists, but nothing else about it could be read.
func unreadableBucket(name string, p model.Purpose) model.BucketState {
	return model.BucketState{
		Name: name, Purpose: p,
		Presence:          model.Known(model.Owned),
		Region:            denied[string]("s3:GetBucketLocation"),
		PublicAccessBlock: denied[model.PublicAccessBlock]("s3:GetBucketPublicAccessBlock"),
		Policy:            denied[string]("s3:GetBucketPolicy"),
		CORS:              denied[[]model.CORSRule]("s3:GetBucketCORS"),
		Encryption:        denied[model.Encryption]("s3:GetEncryptionConfiguration"),
		Ownership:         denied[string]("s3:GetBucketOwnershipControls"),
		Versioning:        denied[string]("s3:GetBucketVersioning"),
		Logging:           denied[model.Logging]("s3:GetBucketLogging"),
		Objects: map[string]model.Fact[[]model.Object]{
			"org-1/uploads/":             denied[[]model.Object]("s3:ListBucket"),
			"org-1/query-cache/parquet/": denied[[]model.Object]("s3:ListBucket"),
		},
	}
}

func TestUnreadableFactsNeverPass(t *testing.T) {
	s := testSettings()
	s.OrgID, s.KMSKey = "org-1", testKeyARN
	tests := []struct {
		name  string
		state model.State
		// read are the checks whose facts were read in this case.
		read []string
	}{
		{name: "nothing read at all", state: model.State{Settings: s}},
		{name: "every fact denied", state: model.State{
			Settings: s,
			Caller:   denied[model.Caller]("sts:GetCallerIdentity"),
			Buckets: []model.BucketState{
				unreadableBucket("acme-slateo-uploads", model.Uploads),
				unreadableBucket("acme-slateo-cache", model.Cache),
			},
			Keys: []model.KeyState{{Ref: testKeyARN,
				Metadata: denied[model.KeyMetadata]("kms:DescribeKey"),
				Policy:   denied[string]("kms:GetKeyPolicy")}},
			Trails: denied[[]model.Trail]("cloudtrail:DescribeTrails"),
		}, read: []string{IDBucketExists}},
		{name: "presence denied", state: model.State{
			Settings: s,
			Buckets: []model.BucketState{
				{Name: "acme-slateo-uploads", Purpose: model.Uploads,
					Presence: denied[model.Presence]("s3:ListBucket")},
				{Name: "acme-slateo-cache", Purpose: model.Cache,
					Presence: denied[model.Presence]("s3:ListBucket")},
			},
			Trails: model.Known([]model.Trail{{Name: "t", HomeRegion: "us-west-2",
				IsLogging: denied[bool]("cloudtrail:GetTrailStatus"),
				Selectors: denied[model.EventSelectors]("cloudtrail:GetEventSelectors")}}),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range Checklist(tt.state) {
				// distinct-buckets only compares the two names from the settings.
				read := append([]string{IDDistinctBuckets}, tt.read...)
				if c.Status == model.Pass && !slices.Contains(read, c.ID) {
					t.Errorf("%s %s passed on unread facts: %s", c.ID, c.Bucket, c.Summary)
				}
			}
		})
	}
}

func TestMissingPermissions(t *testing.T) {
	s := testSettings()
	st := model.State{
		Settings: s,
		Caller:   denied[model.Caller]("sts:GetCallerIdentity"),
		Buckets: []model.BucketState{
			unreadableBucket("acme-slateo-uploads", model.Uploads),
			unreadableBucket("acme-slateo-cache", model.Cache),
		},
		Keys: []model.KeyState{{Ref: testKeyARN,
			Metadata: denied[model.KeyMetadata]("kms:DescribeKey"),
			Policy:   denied[string]("kms:GetKeyPolicy")}},
		Trails: denied[[]model.Trail]("cloudtrail:DescribeTrails"),
	}
	perms := MissingPermissions(st)
	got := map[string]int{}
	for _, p := range perms {
		got[p.Action+" "+p.Resource]++
		if p.Reason == "" {
			t.Errorf("%s has no reason", p.Action)
		}
	}
	for _, want := range []string{
		"sts:GetCallerIdentity *",
		"s3:GetBucketPolicy arn:aws:s3:::acme-slateo-uploads",
		"s3:GetBucketPolicy arn:aws:s3:::acme-slateo-cache",
		"s3:GetBucketCORS arn:aws:s3:::acme-slateo-cache",
		"s3:ListBucket arn:aws:s3:::acme-slateo-cache",
		"kms:DescribeKey " + testKeyARN,
		"kms:GetKeyPolicy " + testKeyARN,
		"cloudtrail:DescribeTrails *",
	} {
		if got[want] != 1 {
			t.Errorf("permission %q listed %d times, want once", want, got[want])
		}
	}
	if len(perms) != 2*9+4 {
		t.Errorf("got %d permissions, want %d: %+v", len(perms), 2*9+4, perms)
	}
}

// TestEachUnreadFactCostsAPass makes one fact of the healthy account unreadable at a time:
// some check must lose its pass (the fact was used), and none may turn into a pass.
func TestEachUnreadFactCostsAPass(t *testing.T) {
	cache := func(s *model.State) *model.BucketState { return &s.Buckets[1] }
	tests := []struct {
		name   string
		mutate func(s *model.State)
	}{
		{"presence", func(s *model.State) {
			cache(s).Presence = denied[model.Presence]("s3:ListBucket")
		}},
		{"region", func(s *model.State) {
			cache(s).Region = denied[string]("s3:GetBucketLocation")
		}},
		{"public access block", func(s *model.State) {
			cache(s).PublicAccessBlock =
				denied[model.PublicAccessBlock]("s3:GetBucketPublicAccessBlock")
		}},
		{"policy", func(s *model.State) {
			cache(s).Policy = denied[string]("s3:GetBucketPolicy")
		}},
		{"cors", func(s *model.State) {
			cache(s).CORS = denied[[]model.CORSRule]("s3:GetBucketCORS")
		}},
		{"encryption", func(s *model.State) {
			cache(s).Encryption = denied[model.Encryption]("s3:GetEncryptionConfiguration")
		}},
		{"ownership", func(s *model.State) {
			cache(s).Ownership = denied[string]("s3:GetBucketOwnershipControls")
		}},
		{"versioning", func(s *model.State) {
			cache(s).Versioning = denied[string]("s3:GetBucketVersioning")
		}},
		{"logging", func(s *model.State) {
			cache(s).Logging = denied[model.Logging]("s3:GetBucketLogging")
		}},
		{"key metadata", func(s *model.State) {
			s.Keys[0].Metadata = denied[model.KeyMetadata]("kms:DescribeKey")
		}},
		{"key policy", func(s *model.State) {
			s.Keys[0].Policy = denied[string]("kms:GetKeyPolicy")
		}},
		{"trails", func(s *model.State) {
			s.Trails = denied[[]model.Trail]("cloudtrail:DescribeTrails")
		}},
		{"trail status", func(s *model.State) {
			s.Trails.Value[0].IsLogging = denied[bool]("cloudtrail:GetTrailStatus")
		}},
		{"trail selectors", func(s *model.State) {
			s.Trails.Value[0].Selectors =
				denied[model.EventSelectors]("cloudtrail:GetEventSelectors")
		}},
	}
	before := map[string]model.Status{}
	passes := 0
	for _, c := range Checklist(healthyState()) {
		before[c.ID+"/"+c.Bucket] = c.Status
		if c.Status == model.Pass {
			passes++
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := healthyState()
			s.Trails = model.Known([]model.Trail{dataTrail()})
			tt.mutate(&s)
			n := 0
			for _, c := range Checklist(s) {
				if c.Status == model.Pass {
					n++
					if before[c.ID+"/"+c.Bucket] != model.Pass {
						t.Errorf("%s %s became pass", c.ID, c.Bucket)
					}
				}
			}
			if n >= passes {
				t.Errorf("%d passes with the fact unread, %d before: nothing used it", n, passes)
			}
		})
	}
}
