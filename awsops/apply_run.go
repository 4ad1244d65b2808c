package awsops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"slateo-s3/model"
)

// ErrChangedSincePlan is wrapped by Apply's error when the document changed between the plan
// and the write; plan again and show the new diff.
var ErrChangedSincePlan = errors.New("changed since the plan was shown")

// ErrRefused is wrapped by Apply's error for a change that carries a Refusal.
var ErrRefused = errors.New("cannot apply this change")

// Apply writes one change: it refuses a change with a Refusal, re-reads the document and
// stops with ErrChangedSincePlan when it is no longer change.Before, writes a backup of it
// (0600) into backupDir, and only then writes change.After. When the document already is
// change.After it writes nothing. Errors of the write are *ApplyError, which say what the
// admin can do.
func (a *Applier) Apply(ctx context.Context, settings model.Settings, change Change,
	backupDir string) (ApplyResult, error) {
	if change.Refusal != "" {
		return ApplyResult{}, fmt.Errorf("%s: %w: %s", change.Title, ErrRefused, change.Refusal)
	}
	if err := checkSize(change); err != nil {
		return ApplyResult{}, err
	}
	current, err := a.ReadDocument(ctx, change.Kind, change.Target, change.Region)
	if err != nil {
		return ApplyResult{}, fmt.Errorf("%s: %w", change.Title, err)
	}
	if sameDocument(current, change.After) {
		return ApplyResult{Unchanged: true}, nil
	}
	if !sameDocument(current, change.Before) {
		return ApplyResult{}, fmt.Errorf("%s: the %s of %s %w; plan again to see the new diff",
			change.Title, change.Kind, change.Target, ErrChangedSincePlan)
	}

	var result ApplyResult
	if change.Kind != KindCreateBucket {
		result.BackupFile, err = a.writeBackup(backupDir, change, current)
		if err != nil {
			return ApplyResult{}, fmt.Errorf("%s: %w", change.Title, err)
		}
	}
	err = a.writeDocument(ctx, change.Kind, change.Target, change.Region, change.After)
	if err != nil {
		return result, explainWrite(change, settings, err)
	}
	return result, nil
}

func checkSize(c Change) error {
	limit := 0
	switch c.Kind {
	case KindBucketPolicy:
		limit = model.BucketPolicyMaxBytes
	case KindKeyPolicy:
		limit = model.KeyPolicyMaxBytes
	}
	if limit > 0 && len(c.After) > limit {
		return fmt.Errorf("%s: %w: the policy is %d bytes and the limit is %d", c.Title,
			ErrRefused, len(c.After), limit)
	}
	return nil
}

// sameDocument compares two documents as JSON values, so that the whitespace AWS adds or
// drops when it stores a document does not count as a change; text that is not JSON is
// compared as it is.
func sameDocument(a, b string) bool {
	if strings.TrimSpace(a) == strings.TrimSpace(b) {
		return true
	}
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// ApplyError is a write that AWS refused, with what the admin can do about it.
type ApplyError struct {
	// Title is the change's title.
	Title string
	// Code and Message are AWS's error code and message (untrusted text).
	Code    string
	Message string
	// Hint says in plain words what usually causes this error and how to fix it.
	Hint string
	Err  error
}

// Error names the change and AWS's error, and adds the hint.
func (e *ApplyError) Error() string {
	msg := fmt.Sprintf("%s: %v", e.Title, e.Err)
	if e.Hint != "" {
		msg += "\n" + e.Hint
	}
	return msg
}

// Unwrap returns the SDK's error.
func (e *ApplyError) Unwrap() error {
	return e.Err
}

func explainWrite(c Change, s model.Settings, err error) error {
	return &ApplyError{Title: c.Title, Code: apiCode(err), Message: apiMessage(err),
		Hint: writeHint(c, s, apiCode(err)), Err: err}
}

// writeHint explains the errors admins meet, by error code and the kind of change.
func writeHint(c Change, s model.Settings, code string) string {
	role := model.RoleARN(s.OrgSlug)
	switch {
	case code == "MalformedPolicy" || code == "MalformedPolicyDocumentException":
		return "AWS refused the policy. When the message is \"Invalid principal in policy\" " +
			"(or \"invalid principals\" from KMS), the role " + role + " does not exist: " +
			"Slateo has not created your organisation's role yet, or the org slug \"" +
			s.OrgSlug + "\" is wrong. Check the slug in your Slateo URL, and ask Slateo to " +
			"create the role before applying again."
	case code == "AccessDenied" && c.Kind == KindBucketPolicy:
		return "Either your credentials lack s3:PutBucketPolicy on " + c.Target + ", or " +
			"BlockPublicPolicy refused the policy because a statement in it is public " +
			"(Principal \"*\" without a restricting condition); the plan's notes name it."
	case code == "AccessDenied" || code == "AccessDeniedException" || code == "Forbidden":
		return "Your credentials lack " + writeAction(c.Kind, c.After) + " on " +
			c.Target + "; ask an administrator of the account to grant it, or use other " +
			"credentials (--profile)."
	case code == "BucketAlreadyExists":
		return "Another AWS account owns a bucket named " + c.Target + ": bucket names are " +
			"global. Choose other names (--company, --uploads-bucket, --cache-bucket)."
	case code == "LimitExceededException" || code == "PolicyTooLarge":
		return "The policy is too large for AWS; remove statements that are no longer needed."
	case code == "IllegalLocationConstraintException" || code == "InvalidLocationConstraint":
		return "The region " + c.Region + " does not match the endpoint the request went to."
	}
	return ""
}

// writeAction names the IAM action a change's write needs.
func writeAction(kind, after string) string {
	deleting := after == ""
	actions := map[string][2]string{
		KindCreateBucket:      {"s3:CreateBucket", "s3:DeleteBucket"},
		KindPublicAccessBlock: {"s3:PutBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
		KindBucketPolicy:      {"s3:PutBucketPolicy", "s3:DeleteBucketPolicy"},
		KindCORS:              {"s3:PutBucketCORS", "s3:PutBucketCORS"},
		KindKeyPolicy:         {"kms:PutKeyPolicy", "kms:PutKeyPolicy"},
		KindVersioning:        {"s3:PutBucketVersioning", "s3:PutBucketVersioning"},
		KindOwnership:         {"s3:PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"},
	}
	pair := actions[kind]
	if deleting {
		return pair[1]
	}
	return pair[0]
}
