package s3sim

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

func (s *Service) servePutObject(w http.ResponseWriter, r *http.Request, c *call) *Error {
	o := newObject(c.body, r.Header.Get("Content-Type"), s.env.Now())
	o.Checksums = sentChecksums(r, c.body)
	o.Metadata = map[string]string{}
	for name, values := range r.Header {
		if meta, ok := strings.CutPrefix(strings.ToLower(name), "x-amz-meta-"); ok {
			o.Metadata[meta] = values[0]
		}
	}
	err := s.update(c.bucket, func(b *bucket) *Error {
		o.SSE, o.SSEKey = b.Encryption.Algorithm, b.Encryption.KMSKeyID
		if v := r.Header.Get("x-amz-server-side-encryption"); v != "" {
			o.SSE = v
			o.SSEKey = r.Header.Get("x-amz-server-side-encryption-aws-kms-key-id")
		}
		b.Objects[c.key] = o
		return nil
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", o.ETag)
	setSSEHeaders(w.Header(), o)
	for name, v := range o.Checksums {
		w.Header().Set(name, v)
	}
	writeEmpty(w, http.StatusOK)
	return nil
}

func setSSEHeaders(h http.Header, o *object) {
	if o.SSE == "" {
		return
	}
	h.Set("x-amz-server-side-encryption", o.SSE)
	if o.SSEKey != "" {
		h.Set("x-amz-server-side-encryption-aws-kms-key-id", o.SSEKey)
	}
}

// serveGetObject serves GetObject and HeadObject, with a single byte range when asked.
func (s *Service) serveGetObject(w http.ResponseWriter, r *http.Request, c *call) *Error {
	var o *object
	err := s.read(c.bucket, func(b *bucket) *Error {
		o = b.Objects[c.key]
		if o == nil {
			return errNoSuchKey(c.key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	start, end, status, rerr := byteRange(len(o.Body), r.Header.Get("Range"))
	if rerr != nil {
		return rerr
	}
	body := o.Body[start:end]
	h := w.Header()
	h.Set("Content-Type", o.ContentType)
	h.Set("ETag", o.ETag)
	h.Set("Last-Modified", httpDate(o.LastModified))
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if status == http.StatusPartialContent {
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end-1, len(o.Body)))
	}
	if status == http.StatusOK && strings.EqualFold(r.Header.Get("x-amz-checksum-mode"),
		"ENABLED") {
		for name, v := range o.Checksums {
			h.Set(name, v)
		}
	}
	for k, v := range o.Metadata {
		h.Set("x-amz-meta-"+k, v)
	}
	setSSEHeaders(h, o)
	setRequestID(w)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return nil
}

// byteRange applies a "bytes=a-b", "bytes=a-" or "bytes=-n" Range header to an object of
// size n and returns the half-open span to send and the status.
func byteRange(n int, header string) (int, int, int, *Error) {
	spec, ok := strings.CutPrefix(header, "bytes=")
	if header == "" || !ok || strings.Contains(spec, ",") {
		return 0, n, http.StatusOK, nil
	}
	first, last, _ := strings.Cut(spec, "-")
	start, err1 := strconv.Atoi(first)
	end, err2 := strconv.Atoi(last)
	switch {
	case first == "" && err2 == nil:
		start, end = max(n-end, 0), n-1
	case last == "" && err1 == nil:
		end = n - 1
	case err1 != nil || err2 != nil:
		return 0, n, http.StatusOK, nil
	}
	end = min(end, n-1)
	if start >= n || start > end {
		return 0, 0, 0, newError(http.StatusRequestedRangeNotSatisfiable, "InvalidRange",
			"The requested range is not satisfiable",
			xmlElement("RangeRequested", header),
			xmlElement("ActualObjectSize", strconv.Itoa(n)))
	}
	return start, end + 1, http.StatusPartialContent, nil
}

func (s *Service) serveDeleteObject(w http.ResponseWriter, _ *http.Request, c *call) *Error {
	err := s.update(c.bucket, func(b *bucket) *Error {
		delete(b.Objects, c.key)
		return nil
	})
	if err != nil {
		return err
	}
	writeEmpty(w, http.StatusNoContent)
	return nil
}

type deleteXML struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool     `xml:"Quiet"`
	Objects []struct {
		Key string `xml:"Key"`
	} `xml:"Object"`
}

type deleteResultXML struct {
	XMLName xml.Name     `xml:"DeleteResult"`
	Xmlns   string       `xml:"xmlns,attr"`
	Deleted []deletedXML `xml:"Deleted"`
}

// serveDeleteObjects deletes up to 1000 keys at once, as `aws s3 rm --recursive` does.
func (s *Service) serveDeleteObjects(w http.ResponseWriter, _ *http.Request, c *call) *Error {
	var d deleteXML
	if xml.Unmarshal(c.body, &d) != nil || len(d.Objects) == 0 || len(d.Objects) > 1000 {
		return errMalformedXML()
	}
	out := deleteResultXML{Xmlns: s3Namespace}
	err := s.update(c.bucket, func(b *bucket) *Error {
		for _, o := range d.Objects {
			delete(b.Objects, o.Key)
			if !d.Quiet {
				out.Deleted = append(out.Deleted, deletedXML{Key: o.Key})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeXML(w, out)
	return nil
}

type deletedXML struct {
	Key string `xml:"Key"`
}
