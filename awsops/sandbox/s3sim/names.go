package s3sim

import (
	"net"
	"net/http"
	"strings"
)

// validBucketName applies S3's naming rules for general purpose buckets.
func validBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 || strings.Contains(name, "..") {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	if !alnum(name[0]) || !alnum(name[len(name)-1]) {
		return false
	}
	if ip := net.ParseIP(name); ip != nil && ip.To4() != nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

func alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func errInvalidBucketName(name string) *Error {
	return newError(http.StatusBadRequest, "InvalidBucketName",
		"The specified bucket is not valid.", bucketElement(name))
}

// locationConstraints are the values S3 accepts as a LocationConstraint, mapped to the
// region each one puts the bucket in. us-east-1 is deliberately absent: it is named by
// leaving the constraint out.
var locationConstraints = map[string]string{
	"EU": "eu-west-1",
}

func init() {
	for _, r := range []string{
		"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2",
		"ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
		"ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
		"ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1",
		"eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
		"eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
		"sa-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2",
	} {
		locationConstraints[r] = r
	}
}

// placeBucket decides, as S3 does, where CreateBucket puts a bucket given the region the
// request was signed for and the LocationConstraint it carried (present says whether the
// body named one at all). It returns the bucket's region and the constraint to remember.
func placeBucket(endpoint, constraint string, present bool) (string, string, *Error) {
	if endpoint == "" {
		endpoint = "us-east-1"
	}
	if endpoint == "us-east-1" {
		if !present || constraint == "" {
			return "us-east-1", "", nil
		}
		region, ok := locationConstraints[constraint]
		if !ok {
			return "", "", newError(http.StatusBadRequest, "InvalidLocationConstraint",
				"The specified location-constraint is not valid",
				xmlElement("LocationConstraint", constraint))
		}
		return region, constraint, nil
	}
	if present && (constraint == endpoint || constraint == "EU" && endpoint == "eu-west-1") {
		return endpoint, constraint, nil
	}
	shown := "unspecified"
	if present && constraint != "" {
		shown = constraint
	}
	return "", "", newError(http.StatusBadRequest, "IllegalLocationConstraintException",
		"The "+shown+" location constraint is incompatible for the region specific "+
			"endpoint this request was sent to.")
}
