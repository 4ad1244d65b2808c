package s3sim

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

type listResultXML struct {
	XMLName               xml.Name       `xml:"ListBucketResult"`
	Xmlns                 string         `xml:"xmlns,attr"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	Marker                *string        `xml:"Marker,omitempty"`
	NextMarker            string         `xml:"NextMarker,omitempty"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	MaxKeys               int            `xml:"MaxKeys"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	KeyCount              *int           `xml:"KeyCount,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	Contents              []listedObject `xml:"Contents"`
	CommonPrefixes        []listedPrefix `xml:"CommonPrefixes"`
}

type listedObject struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int    `xml:"Size"`
	StorageClass string `xml:"StorageClass"`
}

type listedPrefix struct {
	Prefix string `xml:"Prefix"`
}

// listQuery is what a ListObjects or ListObjectsV2 request asks for.
type listQuery struct {
	v2        bool
	prefix    string
	delimiter string
	marker    string // list keys after this one (start-after, token or v1 marker)
	maxKeys   int
	encode    bool
}

func parseListQuery(c *call, q url.Values) (listQuery, *Error) {
	lq := listQuery{v2: c.op == "ListObjectsV2", prefix: q.Get("prefix"),
		delimiter: q.Get("delimiter"), maxKeys: 1000}
	switch enc := q.Get("encoding-type"); enc {
	case "":
	case "url":
		lq.encode = true
	default:
		return lq, errInvalidArgument("Invalid Encoding Method specified in Request",
			"encoding-type", enc)
	}
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return lq, errInvalidArgument("Provided max-keys not an integer or within "+
				"integer range", "max-keys", v)
		}
		lq.maxKeys = min(n, 1000)
	}
	lq.marker = q.Get("marker")
	if lq.v2 {
		lq.marker = q.Get("start-after")
	}
	if tok := q.Get("continuation-token"); lq.v2 && q.Has("continuation-token") {
		key, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || tok == "" {
			return lq, errInvalidArgument("The continuation token provided is incorrect",
				"continuation-token", tok)
		}
		lq.marker = max(lq.marker, string(key))
	}
	return lq, nil
}

// list walks the keys in order after the marker, folding keys that share a prefix up to the
// delimiter into one common prefix, and stops after maxKeys entries.
func (lq listQuery) list(keys []string, objects map[string]*object) (
	[]listedObject, []listedPrefix, string, bool) {
	var contents []listedObject
	var prefixes []listedPrefix
	last := ""
	for _, k := range keys {
		if k <= lq.marker || !strings.HasPrefix(k, lq.prefix) {
			continue
		}
		cp := lq.commonPrefix(k)
		if cp != "" && (cp == lq.marker || cp == last) {
			continue
		}
		if len(contents)+len(prefixes) == lq.maxKeys {
			return contents, prefixes, last, true
		}
		if cp != "" {
			prefixes = append(prefixes, listedPrefix{Prefix: cp})
			last = cp
			continue
		}
		o := objects[k]
		contents = append(contents, listedObject{Key: k, ETag: o.ETag, Size: len(o.Body),
			LastModified: o.LastModified.Format(isoMillis), StorageClass: "STANDARD"})
		last = k
	}
	return contents, prefixes, last, false
}

func (lq listQuery) commonPrefix(key string) string {
	if lq.delimiter == "" {
		return ""
	}
	rest := key[len(lq.prefix):]
	i := strings.Index(rest, lq.delimiter)
	if i < 0 {
		return ""
	}
	return lq.prefix + rest[:i+len(lq.delimiter)]
}

func (s *Service) serveListObjects(w http.ResponseWriter, r *http.Request, c *call) *Error {
	q := r.URL.Query()
	lq, err := parseListQuery(c, q)
	if err != nil {
		return err
	}
	var out listResultXML
	err = s.read(c.bucket, func(b *bucket) *Error {
		contents, prefixes, last, truncated := lq.list(b.sortedKeys(), b.Objects)
		out = lq.result(b.Name, q, contents, prefixes, last, truncated)
		return nil
	})
	if err != nil {
		return err
	}
	writeXML(w, out)
	return nil
}

func (lq listQuery) result(name string, q url.Values, contents []listedObject,
	prefixes []listedPrefix, last string, truncated bool) listResultXML {
	enc := func(v string) string { return v }
	if lq.encode {
		enc = encodeKey
	}
	out := listResultXML{Xmlns: s3Namespace, Name: name, Prefix: enc(lq.prefix),
		Delimiter: enc(lq.delimiter), MaxKeys: lq.maxKeys, IsTruncated: truncated}
	if lq.encode {
		out.EncodingType = "url"
	}
	for _, o := range contents {
		o.Key = enc(o.Key)
		out.Contents = append(out.Contents, o)
	}
	for _, p := range prefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, listedPrefix{Prefix: enc(p.Prefix)})
	}
	if !lq.v2 {
		marker := enc(q.Get("marker"))
		out.Marker = &marker
		if truncated && lq.delimiter != "" {
			out.NextMarker = enc(last)
		}
		return out
	}
	count := len(contents) + len(prefixes)
	out.KeyCount = &count
	out.ContinuationToken = q.Get("continuation-token")
	out.StartAfter = enc(q.Get("start-after"))
	if truncated {
		out.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(last))
	}
	return out
}

// encodeKey percent-encodes a key as S3 does for encoding-type=url, leaving "/" readable.
func encodeKey(k string) string {
	return strings.ReplaceAll(url.QueryEscape(k), "%2F", "/")
}
