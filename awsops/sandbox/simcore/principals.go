package simcore

import (
	"regexp"
	"strings"
)

// SlateoAccount is Slateo's AWS account, whose per-organisation storage roles the sandbox
// knows about.
const SlateoAccount = "880265510198"

// SlateoRolePrefix starts the name of each of Slateo's per-organisation storage roles.
const SlateoRolePrefix = "slateo-prod-storage-"

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	iamARNPattern    = regexp.MustCompile(`^arn:aws:(iam|sts)::([0-9]{12}):(.+)$`)
)

// PrincipalExists reports whether AWS would accept an "AWS" principal in a bucket or key
// policy. Account ids and account roots always exist, as do principals of the sandbox's own
// account; in Slateo's account only the storage roles of the configured org slugs exist.
// A value that is neither "*", an account id nor an IAM or STS ARN does not exist.
func (e Env) PrincipalExists(principal string) bool {
	if principal == "*" || accountIDPattern.MatchString(principal) {
		return true
	}
	m := iamARNPattern.FindStringSubmatch(principal)
	if m == nil {
		return false
	}
	account, resource := m[2], m[3]
	if resource == "root" || account != SlateoAccount {
		return true
	}
	name, ok := strings.CutPrefix(resource, "role/"+SlateoRolePrefix)
	if !ok {
		return false
	}
	for _, slug := range e.OrgRoles {
		if name == slug {
			return true
		}
	}
	return false
}
