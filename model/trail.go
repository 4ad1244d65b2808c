package model

import (
	"slices"
	"strings"
)

// LogsDataEventsFor reports whether the trail's event selectors record S3 data events that
// include reads (GetObject and the like) on objects of the bucket: a basic selector with
// AWS::S3::Object values that cover the bucket (arn:aws:s3, arn:aws:s3:::, or a value under
// arn:aws:s3:::bucket/) and a ReadWriteType of All or ReadOnly; or an advanced selector for
// Data events on AWS::S3::Object whose resources.ARN and readOnly conditions admit the
// bucket's objects and reads. It looks at the selectors only, not at whether the trail is
// logging; unread selectors give false.
func (t Trail) LogsDataEventsFor(bucket string) bool {
	if bucket == "" || !t.Selectors.IsPresent() {
		return false
	}
	for _, s := range t.Selectors.Value.Basic {
		if basicCovers(s, bucket) {
			return true
		}
	}
	for _, s := range t.Selectors.Value.Advanced {
		if advancedCovers(s, bucket) {
			return true
		}
	}
	return false
}

func basicCovers(s BasicSelector, bucket string) bool {
	switch s.ReadWriteType {
	case "", "All", "ReadOnly":
	default:
		return false
	}
	objects := "arn:aws:s3:::" + bucket + "/"
	for _, r := range s.DataResources {
		if r.Type != "AWS::S3::Object" {
			continue
		}
		for _, v := range r.Values {
			if v == "arn:aws:s3" || v == "arn:aws:s3:::" || strings.HasPrefix(v, objects) {
				return true
			}
		}
	}
	return false
}

func advancedCovers(s AdvancedSelector, bucket string) bool {
	objects := "arn:aws:s3:::" + bucket + "/"
	category, objectType := false, false
	for _, f := range s.FieldSelectors {
		switch f.Field {
		case "eventCategory":
			category = fieldAdmits(f, "Data")
		case "resources.type":
			objectType = fieldAdmits(f, "AWS::S3::Object")
		case "resources.ARN":
			if !arnFieldAdmits(f, objects) {
				return false
			}
		case "readOnly":
			if !fieldAdmits(f, "true") {
				return false
			}
		}
	}
	return category && objectType
}

// fieldAdmits reports whether a field selector lets an exact value through.
func fieldAdmits(f FieldSelector, v string) bool {
	if len(f.Equals) > 0 && !slices.Contains(f.Equals, v) {
		return false
	}
	if len(f.StartsWith) > 0 && !slices.ContainsFunc(f.StartsWith, func(p string) bool {
		return strings.HasPrefix(v, p)
	}) {
		return false
	}
	if len(f.EndsWith) > 0 && !slices.ContainsFunc(f.EndsWith, func(p string) bool {
		return strings.HasSuffix(v, p)
	}) {
		return false
	}
	if slices.Contains(f.NotEquals, v) {
		return false
	}
	return !slices.ContainsFunc(f.NotStartsWith, func(p string) bool {
		return strings.HasPrefix(v, p)
	}) && !slices.ContainsFunc(f.NotEndsWith, func(p string) bool {
		return strings.HasSuffix(v, p)
	})
}

// arnFieldAdmits reports whether a resources.ARN field selector lets through some objects of
// the bucket whose ARNs start with objects (arn:aws:s3:::bucket/).
func arnFieldAdmits(f FieldSelector, objects string) bool {
	if len(f.Equals) > 0 && !anyHasPrefix(f.Equals, objects) {
		return false
	}
	if len(f.StartsWith) > 0 && !anyPrefixOverlap(f.StartsWith, objects) {
		return false
	}
	for _, p := range f.NotStartsWith {
		if strings.HasPrefix(objects, p) {
			return false
		}
	}
	return true
}

func anyHasPrefix(vals []string, prefix string) bool {
	for _, v := range vals {
		if strings.HasPrefix(v, prefix) {
			return true
		}
	}
	return false
}

// anyPrefixOverlap reports whether some value is a prefix of objects, or lies under it.
func anyPrefixOverlap(vals []string, objects string) bool {
	for _, v := range vals {
		if strings.HasPrefix(objects, v) || strings.HasPrefix(v, objects) {
			return true
		}
	}
	return false
}
