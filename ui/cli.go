package ui

import (
	"encoding/json"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// cliServices maps the SDK's service ids to the AWS CLI's command names.
var cliServices = map[string]string{
	"S3":         "s3api",
	"KMS":        "kms",
	"STS":        "sts",
	"CloudTrail": "cloudtrail",
}

// cliEquivalent renders the AWS CLI v2 command that makes the same call, with the region
// and, for the sandbox or a proxy, the endpoint.
func cliEquivalent(c awsops.Call, region, endpoint string) string {
	name := serviceOf(c)
	service, ok := cliServices[name]
	if !ok {
		service = strings.ToLower(name)
	}
	parts := []string{"aws", service, kebab(c.Operation)}
	parts = append(parts, cliArgs(c.Input)...)
	if region != "" {
		parts = append(parts, "--region", shellQuote(region))
	}
	if endpoint != "" {
		parts = append(parts, "--endpoint-url", shellQuote(endpoint))
	}
	return model.CleanLine(strings.Join(parts, " "))
}

// serviceOf names the call's service: the SDK's service id, or, when the log has none,
// the SDK package its input came from (service/cloudtrail gives CloudTrail).
func serviceOf(c awsops.Call) string {
	if c.Service != "" {
		return c.Service
	}
	t := reflect.TypeOf(c.Input)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return ""
	}
	pkg := path.Base(t.PkgPath())
	for id := range cliServices {
		if strings.EqualFold(id, pkg) {
			return id
		}
	}
	return pkg
}

// kebab turns an SDK name such as GetBucketCors or ListObjectsV2 into get-bucket-cors or
// list-objects-v2, as the CLI spells operations and parameters.
func kebab(name string) string {
	var b strings.Builder
	runes := []rune(name)
	for i, r := range runes {
		if i > 0 && unicode.IsUpper(r) {
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) ||
				(unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// cliArgs renders the set fields of an SDK input struct as CLI options, sorted by name.
func cliArgs(input any) []string {
	v := reflect.ValueOf(input)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	var args []string
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if arg := cliArg(kebab(f.Name), v.Field(i)); arg != "" {
			args = append(args, arg)
		}
	}
	sort.Strings(args)
	return args
}

// cliArg renders one field, or "" when it is not set.
func cliArg(name string, v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		if v.String() == "" {
			return ""
		}
		return "--" + name + " " + shellQuote(v.String())
	case reflect.Bool:
		if v.Bool() {
			return "--" + name
		}
		return "--no-" + name
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "--" + name + " " + strconv.FormatInt(v.Int(), 10)
	case reflect.Slice, reflect.Map, reflect.Struct:
		if v.Kind() != reflect.Struct && v.Len() == 0 {
			return ""
		}
		data, err := json.Marshal(v.Interface())
		if err != nil {
			return ""
		}
		return "--" + name + " " + shellQuote(string(data))
	}
	return ""
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"+
		"0123456789-_./:=@,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
