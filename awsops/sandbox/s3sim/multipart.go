package s3sim

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"slateo-s3/awsops/sandbox/simcore"
)

// upload is a multipart upload in progress. Uploads are not part of the saved state: an
// upload in flight when the sandbox stops is lost, as if it had been aborted.
type upload struct {
	bucket, key, contentType string
	parts                    map[int][]byte
}

func errNoSuchUpload(id string) *Error {
	return newError(http.StatusNotFound, "NoSuchUpload", "The specified upload does not "+
		"exist. The upload ID may be invalid, or the upload may have been aborted or "+
		"completed.", xmlElement("UploadId", id))
}

type initiateResultXML struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	Xmlns    string   `xml:"xmlns,attr"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

func (s *Service) serveCreateMultipartUpload(w http.ResponseWriter, r *http.Request,
	c *call) *Error {
	if err := s.read(c.bucket, func(*bucket) *Error { return nil }); err != nil {
		return err
	}
	id := "sandbox-upload-" + randomHex()
	s.mu.Lock()
	if s.uploads == nil {
		s.uploads = map[string]*upload{}
	}
	s.uploads[id] = &upload{bucket: c.bucket, key: c.key,
		contentType: r.Header.Get("Content-Type"), parts: map[int][]byte{}}
	s.mu.Unlock()
	writeXML(w, initiateResultXML{Xmlns: s3Namespace, Bucket: c.bucket, Key: c.key,
		UploadID: id})
	return nil
}

func randomHex() string {
	return strings.ToLower(simcore.RequestID() + simcore.RequestID())
}

// findUpload returns an upload of this bucket and key; the caller holds s.mu.
func (s *Service) findUpload(c *call, id string) (*upload, *Error) {
	u, ok := s.uploads[id]
	if !ok || u.bucket != c.bucket || u.key != c.key {
		return nil, errNoSuchUpload(id)
	}
	return u, nil
}

func (s *Service) serveUploadPart(w http.ResponseWriter, r *http.Request, c *call) *Error {
	q := r.URL.Query()
	n, err := strconv.Atoi(q.Get("partNumber"))
	if err != nil || n < 1 || n > 10000 {
		return errInvalidArgument("Part number must be an integer between 1 and 10000, "+
			"inclusive", "partNumber", q.Get("partNumber"))
	}
	s.mu.Lock()
	u, uerr := s.findUpload(c, q.Get("uploadId"))
	if uerr == nil {
		u.parts[n] = c.body
	}
	s.mu.Unlock()
	if uerr != nil {
		return uerr
	}
	w.Header().Set("ETag", md5ETag(c.body))
	for name, v := range sentChecksums(r, c.body) {
		w.Header().Set(name, v)
	}
	writeEmpty(w, http.StatusOK)
	return nil
}

func md5ETag(b []byte) string {
	sum := md5.Sum(b)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

type completeXML struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []struct {
		PartNumber int    `xml:"PartNumber"`
		ETag       string `xml:"ETag"`
	} `xml:"Part"`
}

type completeResultXML struct {
	XMLName  xml.Name `xml:"CompleteMultipartUploadResult"`
	Xmlns    string   `xml:"xmlns,attr"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

func (s *Service) serveCompleteMultipartUpload(w http.ResponseWriter, r *http.Request,
	c *call) *Error {
	var doc completeXML
	if xml.Unmarshal(c.body, &doc) != nil || len(doc.Parts) == 0 {
		return errMalformedXML()
	}
	id := r.URL.Query().Get("uploadId")
	s.mu.Lock()
	u, err := s.findUpload(c, id)
	var body []byte
	var etag string
	if err == nil {
		body, etag, err = assemble(u, doc)
	}
	if err == nil {
		delete(s.uploads, id)
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	o := newObject(body, u.contentType, s.env.Now())
	o.ETag = etag
	if err := s.storeObject(c.bucket, c.key, o); err != nil {
		return err
	}
	writeXML(w, completeResultXML{Xmlns: s3Namespace, Location: "/" + c.bucket + "/" + c.key,
		Bucket: c.bucket, Key: c.key, ETag: etag})
	return nil
}

// assemble joins the listed parts in order and computes S3's multipart ETag: the MD5 of the
// parts' MD5s, then "-" and the number of parts.
func assemble(u *upload, doc completeXML) ([]byte, string, *Error) {
	var body, sums []byte
	last := 0
	for _, p := range doc.Parts {
		if p.PartNumber <= last {
			return nil, "", newError(http.StatusBadRequest, "InvalidPartOrder",
				"The list of parts was not in ascending order. The parts list must be "+
					"specified in order by part number.")
		}
		last = p.PartNumber
		data, ok := u.parts[p.PartNumber]
		if !ok || p.ETag != md5ETag(data) && `"`+p.ETag+`"` != md5ETag(data) {
			return nil, "", newError(http.StatusBadRequest, "InvalidPart",
				"One or more of the specified parts could not be found.  The part may not "+
					"have been uploaded, or the specified entity tag may not match the "+
					"part's entity tag.")
		}
		sum := md5.Sum(data)
		sums = append(sums, sum[:]...)
		body = append(body, data...)
	}
	total := md5.Sum(sums)
	return body, `"` + hex.EncodeToString(total[:]) + "-" + strconv.Itoa(len(doc.Parts)) + `"`,
		nil
}

func (s *Service) serveAbortMultipartUpload(w http.ResponseWriter, r *http.Request,
	c *call) *Error {
	id := r.URL.Query().Get("uploadId")
	s.mu.Lock()
	_, err := s.findUpload(c, id)
	if err == nil {
		delete(s.uploads, id)
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	writeEmpty(w, http.StatusNoContent)
	return nil
}
