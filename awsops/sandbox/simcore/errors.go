package simcore

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
)

// XMLElement is one extra element of an S3 error body, such as BucketName.
type XMLElement struct {
	Name  string
	Value string
}

// WriteS3Error writes an S3 REST-XML error: <Error><Code/><Message/>...<RequestId/><HostId/>
// with no namespace. A HEAD request gets the status alone, as S3 sends it.
func WriteS3Error(w http.ResponseWriter, r *http.Request, status int, code, message string,
	extra ...XMLElement) {
	id := RequestID()
	w.Header().Set("x-amz-request-id", id)
	w.Header().Set("x-amz-id-2", id+"/sandbox")
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error>"))
	writeElement(w, "Code", code)
	writeElement(w, "Message", message)
	for _, e := range extra {
		writeElement(w, e.Name, e.Value)
	}
	writeElement(w, "RequestId", id)
	writeElement(w, "HostId", id+"/sandbox")
	_, _ = w.Write([]byte("</Error>"))
}

func writeElement(w http.ResponseWriter, name, value string) {
	_, _ = w.Write([]byte("<" + name + ">"))
	_ = xml.EscapeText(w, []byte(value))
	_, _ = w.Write([]byte("</" + name + ">"))
}

// WriteJSONError writes an awsJson1_1 error ({"__type": code, "message": message}) with
// HTTP 400, as KMS and CloudTrail send their client errors.
func WriteJSONError(w http.ResponseWriter, code, message string) {
	WriteJSONStatusError(w, http.StatusBadRequest, code, message)
}

// WriteJSONStatusError writes an awsJson1_1 error with any HTTP status, such as 500 or 503
// for a server fault.
func WriteJSONStatusError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", RequestID())
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": message})
}

// WriteJSON writes an awsJson1_1 success body.
func WriteJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", RequestID())
	_ = json.NewEncoder(w).Encode(v)
}
