package diagnostics

import (
	"maps"
	"slices"

	"slateo-s3/model"
)

// Permission is an IAM action that the admin's own credentials lack, found when a read was
// denied.
type Permission struct {
	Action string `json:"action"`
	// Resource is the ARN the action was denied on ("*" for account-wide reads).
	Resource string `json:"resource"`
	// Reason says what could not be read for want of it.
	Reason string `json:"reason"`
}

// MissingPermissions gathers, once each, the IAM actions the caller was denied while the
// state was read, in the order the checklist meets them.
func MissingPermissions(s model.State) []Permission {
	var g permGatherer
	add(&g, s.Caller, "*", "who the credentials are (sts:GetCallerIdentity)")
	for _, b := range orderedBuckets(s) {
		g.bucket(b)
	}
	for _, k := range s.Keys {
		res := keyIDFor(k)
		add(&g, k.Metadata, res, "the state of KMS key "+k.Ref)
		add(&g, k.Policy, res, "the key policy of KMS key "+k.Ref)
	}
	add(&g, s.Trails, "*", "the CloudTrail trails")
	if s.Trails.IsPresent() {
		for _, t := range s.Trails.Value {
			add(&g, t.IsLogging, t.ARN, "whether trail "+t.Name+" is logging")
			add(&g, t.Selectors, t.ARN, "the event selectors of trail "+t.Name)
		}
	}
	return g.out
}

type permGatherer struct {
	out  []Permission
	seen map[[2]string]bool
}

func (g *permGatherer) bucket(b model.BucketState) {
	arn := model.BucketARN(b.Name)
	add(g, b.Presence, arn, "whether bucket "+b.Name+" exists")
	add(g, b.Region, arn, "the region of bucket "+b.Name)
	add(g, b.PublicAccessBlock, arn, "the Block Public Access settings of "+b.Name)
	add(g, b.Policy, arn, "the bucket policy of "+b.Name)
	add(g, b.CORS, arn, "the CORS configuration of "+b.Name)
	add(g, b.Encryption, arn, "the default encryption of "+b.Name)
	add(g, b.Ownership, arn, "the Object Ownership of "+b.Name)
	add(g, b.Versioning, arn, "the versioning status of "+b.Name)
	add(g, b.Logging, arn, "the access logging of "+b.Name)
	for _, prefix := range slices.Sorted(maps.Keys(b.Objects)) {
		add(g, b.Objects[prefix], arn, "the objects under "+prefix+" in "+b.Name)
	}
}

func add[T any](g *permGatherer, f model.Fact[T], resource, what string) {
	if !f.IsUnreadable() || f.MissingAction == "" {
		return
	}
	if g.seen == nil {
		g.seen = map[[2]string]bool{}
	}
	key := [2]string{f.MissingAction, resource}
	if g.seen[key] {
		return
	}
	g.seen[key] = true
	g.out = append(g.out, Permission{
		Action:   model.CleanLine(f.MissingAction),
		Resource: model.CleanLine(resource),
		Reason:   model.CleanLine("to read " + what),
	})
}
