package kmssim

import (
	"encoding/json"
	"path"
	"strings"
)

// maxPolicyBytes is the size KMS allows a key policy.
const maxPolicyBytes = 32 * 1024

// DefaultPolicy returns the key policy KMS gives a new customer-managed key when CreateKey
// names none: the account root may do everything, which lets IAM policies grant access.
func DefaultPolicy(account string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::` + account + `:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

// managedS3Policy is the key policy of the AWS-managed aws/s3 key: S3 may use it for the
// account's own principals only, and the account may read its metadata.
func managedS3Policy(account, region string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "auto-s3-2",
  "Statement" : [ {
    "Sid" : "Allow access through S3 for all principals in the account that are ` +
		`authorized to use S3",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", ` +
		`"kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "` + account + `",
        "kms:ViaService" : "s3.` + region + `.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::` + account + `:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`
}

// statement is one statement of a key policy, with the members the checks here read.
type statement struct {
	Effect    string          `json:"Effect"`
	Principal json.RawMessage `json:"Principal"`
	Action    json.RawMessage `json:"Action"`
	NotAction json.RawMessage `json:"NotAction"`
	Resource  json.RawMessage `json:"Resource"`
	Condition json.RawMessage `json:"Condition"`
}

const (
	msgInvalidPrincipals = "Policy contains a statement with one or more invalid principals."
	msgLockout           = "The new key policy will not allow you to update the key policy " +
		"in the future."
)

// checkPolicy validates a key policy as KMS does before it stores one: size, JSON shape,
// principals that exist, and (unless bypassed) that the caller could still change it.
func (s *Service) checkPolicy(policy, arn string, bypass bool) error {
	if len(policy) > maxPolicyBytes {
		return newError("LimitExceededException",
			"The key policy exceeds the maximum size of 32768 bytes.")
	}
	statements, err := parseStatements(policy)
	if err != nil {
		return err
	}
	for _, st := range statements {
		if err := s.checkStatement(st); err != nil {
			return err
		}
	}
	if !bypass && !s.callerMayPutPolicy(statements, arn) {
		return newError("MalformedPolicyDocumentException", msgLockout)
	}
	return nil
}

// parseStatements reads a policy's statements. KMS answers a document it cannot parse with
// MalformedPolicyDocumentException and an empty message.
func parseStatements(policy string) ([]statement, error) {
	malformed := newError("MalformedPolicyDocumentException", "")
	var doc struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil || len(doc.Statement) == 0 {
		return nil, malformed
	}
	var list []statement
	if err := json.Unmarshal(doc.Statement, &list); err == nil {
		if len(list) == 0 {
			return nil, malformed
		}
		return list, nil
	}
	var one statement
	if err := json.Unmarshal(doc.Statement, &one); err != nil {
		return nil, malformed
	}
	return []statement{one}, nil
}

func (s *Service) checkStatement(st statement) error {
	malformed := newError("MalformedPolicyDocumentException", "")
	if st.Effect != "Allow" && st.Effect != "Deny" {
		return malformed
	}
	if len(st.Action) == 0 && len(st.NotAction) == 0 {
		return malformed
	}
	principals, ok := awsPrincipals(st.Principal)
	if !ok {
		return malformed
	}
	for _, p := range principals {
		if !s.env.PrincipalExists(p) {
			return newError("MalformedPolicyDocumentException", msgInvalidPrincipals)
		}
	}
	return nil
}

// awsPrincipals returns the AWS principals of a statement's Principal ("*" for the bare
// wildcard); ok is false when the Principal is missing or not a principal at all.
func awsPrincipals(raw json.RawMessage) ([]string, bool) {
	if len(raw) == 0 {
		return nil, false
	}
	var star string
	if json.Unmarshal(raw, &star) == nil {
		return []string{star}, star == "*"
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil, false
	}
	aws, ok := m["AWS"]
	if !ok {
		return nil, true
	}
	list, ok := stringList(aws)
	return list, ok && len(list) > 0
}

// stringList reads a policy member that is a string or a list of strings.
func stringList(raw json.RawMessage) ([]string, bool) {
	if len(raw) == 0 {
		return nil, true
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list, true
	}
	return nil, false
}

// callerMayPutPolicy reports whether a policy still lets the sandbox's caller call
// PutKeyPolicy. The caller is an administrator of the account, so a statement that trusts
// the account root (and so IAM policies) counts as well as one naming the caller; a
// statement with a Condition is taken to apply, as the caller's requests would meet it.
func (s *Service) callerMayPutPolicy(statements []statement, arn string) bool {
	allowed := false
	for _, st := range statements {
		if !s.coversCaller(st) || !coversAction(st, "kms:PutKeyPolicy") || !coversKey(st, arn) {
			continue
		}
		if st.Effect == "Deny" && len(st.Condition) == 0 {
			return false
		}
		if st.Effect == "Allow" {
			allowed = true
		}
	}
	return allowed
}

func (s *Service) coversCaller(st statement) bool {
	principals, _ := awsPrincipals(st.Principal)
	for _, p := range principals {
		switch p {
		case "*", s.env.Account, "arn:aws:iam::" + s.env.Account + ":root", s.env.CallerARN():
			return true
		}
	}
	return false
}

func coversAction(st statement, action string) bool {
	if len(st.NotAction) > 0 {
		list, _ := stringList(st.NotAction)
		return !matchesAny(list, action)
	}
	list, _ := stringList(st.Action)
	return matchesAny(list, action)
}

func coversKey(st statement, arn string) bool {
	list, _ := stringList(st.Resource)
	return len(list) == 0 || matchesAny(list, arn)
}

// matchesAny reports whether any IAM-style pattern (* and ?, case-insensitive) matches.
func matchesAny(patterns []string, value string) bool {
	value = strings.ToLower(value)
	for _, p := range patterns {
		p = strings.ToLower(p)
		if p == "*" || p == value {
			return true
		}
		if ok, _ := path.Match(p, value); ok {
			return true
		}
	}
	return false
}
