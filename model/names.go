package model

import "strings"

// NearName reports whether got is the name want mistyped: equal but for letter case, or at
// most one edit away (two for names of eight characters or more), counting an insertion, a
// deletion, a substitution or a swap of neighbours as one edit. Equal names are near too.
func NearName(got, want string) bool {
	if got == "" || want == "" {
		return false
	}
	a, b := strings.ToLower(got), strings.ToLower(want)
	if a == b {
		return true
	}
	limit := 1
	if len(b) >= 8 {
		limit = 2
	}
	if d := len(a) - len(b); d > limit || -d > limit {
		return false
	}
	return editDistance(a, b) <= limit
}

// editDistance is the optimal string alignment distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// RoleOfPrincipal returns the account and role name behind an IAM role ARN
// (arn:aws:iam::ACCOUNT:role/PATH/NAME) or an assumed-role session ARN
// (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION); ok is false for any other principal.
func RoleOfPrincipal(arn string) (account, role string, ok bool) {
	rest, found := strings.CutPrefix(arn, "arn:aws:")
	if !found {
		return "", "", false
	}
	parts := strings.SplitN(rest, ":", 4)
	if len(parts) != 4 || parts[1] != "" {
		return "", "", false
	}
	service, account, resource := parts[0], parts[2], parts[3]
	switch {
	case service == "iam" && strings.HasPrefix(resource, "role/"):
		segments := strings.Split(resource, "/")
		role = segments[len(segments)-1]
	case service == "sts" && strings.HasPrefix(resource, "assumed-role/"):
		segments := strings.Split(resource, "/")
		if len(segments) < 3 {
			return "", "", false
		}
		role = segments[1]
	default:
		return "", "", false
	}
	return account, role, account != "" && role != ""
}

// IsOrgRole reports whether a principal ARN is the org role of the given slug, as a role or
// as one of its sessions.
func IsOrgRole(principal, slug string) bool {
	account, role, ok := RoleOfPrincipal(principal)
	return ok && slug != "" && account == SlateoAccountID && role == RoleName(slug)
}

// IsSlateoRole reports whether a principal ARN is any of Slateo's per-organisation storage
// roles, or a session of one, and returns that role's org slug.
func IsSlateoRole(principal string) (slug string, ok bool) {
	account, role, found := RoleOfPrincipal(principal)
	if !found || account != SlateoAccountID {
		return "", false
	}
	slug, ok = strings.CutPrefix(role, RoleNamePrefix)
	return slug, ok && slug != ""
}
