package model

import (
	"bytes"
	"encoding/json"
)

// Policy is an IAM policy document in the shape the setup guide shows.
type Policy struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a policy the console writes.
type Statement struct {
	Sid       string    `json:"Sid"`
	Effect    string    `json:"Effect"`
	Principal Principal `json:"Principal"`
	Action    Actions   `json:"Action"`
	Resource  string    `json:"Resource"`
}

// Principal names the AWS principal of a statement.
type Principal struct {
	AWS string `json:"AWS"`
}

// Actions is a statement's action list; one action renders as a plain string, as AWS's
// examples and the setup guide write it.
type Actions []string

// MarshalJSON renders one action as a string and several as a list.
func (a Actions) MarshalJSON() ([]byte, error) {
	if len(a) == 1 {
		return json.Marshal(a[0])
	}
	return json.Marshal([]string(a))
}

// policyVersion is the policy language version every document uses.
const policyVersion = "2012-10-17"

// BucketPolicy returns the bucket policy of setup step 2 for one bucket: the org role may
// list the bucket and read, write, delete and tag its objects.
func BucketPolicy(bucket, slug string) Policy {
	principal := Principal{AWS: RoleARN(slug)}
	return Policy{Version: policyVersion, Statement: []Statement{
		{Sid: SidListBucket, Effect: "Allow", Principal: principal,
			Action: Actions(clone(BucketActions)), Resource: BucketARN(bucket)},
		{Sid: SidObjectAccess, Effect: "Allow", Principal: principal,
			Action: Actions(clone(ObjectActions)), Resource: ObjectsARN(bucket)},
	}}
}

// KMSStatement returns the key policy statement of setup step 4, which lets the org role use
// the buckets' customer-managed key.
func KMSStatement(slug string) Statement {
	return Statement{Sid: SidKMS, Effect: "Allow", Principal: Principal{AWS: RoleARN(slug)},
		Action: Actions(clone(KMSActions)), Resource: "*"}
}

// DesiredCORSRule returns the one CORS rule of setup step 3 for the cache bucket.
func DesiredCORSRule() CORSRule {
	return CORSRule{
		AllowedHeaders: []string{"*"},
		AllowedMethods: clone(CORSMethods),
		AllowedOrigins: clone(CORSOrigins),
		ExposeHeaders:  []string{"ETag"},
		MaxAgeSeconds:  3600,
	}
}

// PublicAccessBlockAllOn returns the Block Public Access setting of setup step 1: all four
// flags on.
func PublicAccessBlockAllOn() PublicAccessBlock {
	return PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true,
		BlockPublicPolicy: true, RestrictPublicBuckets: true}
}

// JSON renders the policy as pretty JSON (two-space indent, trailing newline), the form
// that put-bucket-policy and put-key-policy take from a file.
func (p Policy) JSON() string {
	return prettyJSON(p)
}

// StatementsJSON returns each statement as compact JSON, the form a merge into an existing
// policy takes.
func (p Policy) StatementsJSON() []json.RawMessage {
	out := make([]json.RawMessage, len(p.Statement))
	for i, st := range p.Statement {
		out[i] = json.RawMessage(st.compactJSON())
	}
	return out
}

// JSON renders the statement as pretty JSON, as it is shown for pasting into a key policy.
func (st Statement) JSON() string {
	return prettyJSON(st)
}

func (st Statement) compactJSON() string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(st)
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// corsDocRule is one rule in the field names put-bucket-cors takes.
type corsDocRule struct {
	AllowedHeaders []string `json:"AllowedHeaders,omitempty"`
	AllowedMethods []string `json:"AllowedMethods"`
	AllowedOrigins []string `json:"AllowedOrigins"`
	ExposeHeaders  []string `json:"ExposeHeaders,omitempty"`
	MaxAgeSeconds  int32    `json:"MaxAgeSeconds,omitempty"`
}

// CORSDocument renders rules as the pretty JSON document put-bucket-cors takes from a file:
// {"CORSRules": [...]}.
func CORSDocument(rules ...CORSRule) string {
	doc := struct {
		CORSRules []corsDocRule `json:"CORSRules"`
	}{CORSRules: make([]corsDocRule, len(rules))}
	for i, r := range rules {
		doc.CORSRules[i] = corsDocRule{AllowedHeaders: r.AllowedHeaders,
			AllowedMethods: r.AllowedMethods, AllowedOrigins: r.AllowedOrigins,
			ExposeHeaders: r.ExposeHeaders, MaxAgeSeconds: r.MaxAgeSeconds}
	}
	return prettyJSON(doc)
}

// JSON renders the flags as the document put-public-access-block takes.
func (p PublicAccessBlock) JSON() string {
	return prettyJSON(struct {
		BlockPublicAcls       bool `json:"BlockPublicAcls"`
		IgnorePublicAcls      bool `json:"IgnorePublicAcls"`
		BlockPublicPolicy     bool `json:"BlockPublicPolicy"`
		RestrictPublicBuckets bool `json:"RestrictPublicBuckets"`
	}(p))
}

// prettyJSON encodes v with a two-space indent and a trailing newline, leaving <, > and &
// as they are. The values are plain structs of strings, so encoding cannot fail.
func prettyJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
	return b.String()
}

func clone(s []string) []string {
	return append([]string(nil), s...)
}
