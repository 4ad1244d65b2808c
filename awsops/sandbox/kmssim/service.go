package kmssim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"slateo-s3/awsops/sandbox/simcore"
)

// targetPrefix starts the X-Amz-Target header of every KMS request.
const targetPrefix = "TrentService."

// eventSource is the CloudTrail event source of KMS.
const eventSource = "kms.amazonaws.com"

// Service is the simulated KMS. It is safe for concurrent use.
type Service struct {
	env simcore.Env

	mu      sync.Mutex
	keys    map[string]*key   // by key id
	aliases map[string]*alias // by aliasKey(region, name)
	// dirty says the state changed while s.mu was held; unlock then calls env.Changed,
	// which may read the state back and so must run without the lock.
	dirty bool
}

// unlock releases s.mu and reports a change made under it.
func (s *Service) unlock() {
	dirty := s.dirty
	s.dirty = false
	s.mu.Unlock()
	if dirty {
		s.env.Changed()
	}
}

// New returns a KMS with no customer-managed keys.
func New(env simcore.Env) *Service {
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.Changed == nil {
		env.Changed = func() {}
	}
	if env.Journal == nil {
		env.Journal = &simcore.Journal{}
	}
	return &Service{env: env, keys: map[string]*key{}, aliases: map[string]*alias{}}
}

// apiError is an error KMS answers with: a code and its message.
type apiError struct {
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func newError(code, message string) *apiError {
	return &apiError{code: code, message: message}
}

// call is one request being served.
type call struct {
	r      *http.Request
	region string
	body   []byte
	// keyARN is set by an operation once it knows the key a write concerns, for the
	// CloudTrail record's resources.
	keyARN string
}

type operation func(s *Service, c *call) (any, error)

var operations = map[string]operation{
	"CreateKey":           (*Service).createKey,
	"DescribeKey":         (*Service).describeKey,
	"GetKeyPolicy":        (*Service).getKeyPolicy,
	"PutKeyPolicy":        (*Service).putKeyPolicy,
	"CreateAlias":         (*Service).createAlias,
	"ListAliases":         (*Service).listAliases,
	"EnableKey":           (*Service).enableKey,
	"DisableKey":          (*Service).disableKey,
	"ScheduleKeyDeletion": (*Service).scheduleKeyDeletion,
	"CancelKeyDeletion":   (*Service).cancelKeyDeletion,
	"ListKeys":            (*Service).listKeys,
}

// writes are the operations CloudTrail records as writes (readOnly false).
var writes = map[string]bool{
	"CreateKey": true, "PutKeyPolicy": true, "CreateAlias": true, "EnableKey": true,
	"DisableKey": true, "ScheduleKeyDeletion": true, "CancelKeyDeletion": true,
}

// Operation names the KMS operation of a request, from its X-Amz-Target header.
func (s *Service) Operation(r *http.Request) (string, string) {
	return strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix), ""
}

// ServeHTTP answers one KMS request.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, _ := s.Operation(r)
	op, ok := operations[name]
	if r.Method != http.MethodPost || !ok {
		simcore.WriteJSONError(w, "UnknownOperationException", "")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		simcore.WriteJSONError(w, "SerializationException", "could not read the request body")
		return
	}
	c := &call{r: r, region: regionOf(r), body: body}
	out, err := op(s, c)
	if writes[name] {
		s.record(c, name, out, err)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	simcore.WriteJSON(w, out)
}

func regionOf(r *http.Request) string {
	if scope, ok := simcore.CredentialScope(r); ok && scope.Region != "" {
		return scope.Region
	}
	return "us-east-1"
}

func writeError(w http.ResponseWriter, err error) {
	if e, ok := err.(*apiError); ok {
		simcore.WriteJSONError(w, e.code, e.message)
		return
	}
	writeStatusError(w, http.StatusInternalServerError, "KMSInternalException", err.Error())
}

// writeStatusError writes a JSON 1.1 error with a status other than 400, for server faults.
func writeStatusError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", simcore.RequestID())
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": message})
}

// WriteFault answers a request with an injected error code: server faults (KMSInternalException,
// InternalFailure, DependencyTimeoutException, ServiceUnavailable) with a 5xx status, client
// errors with 400, each in KMS's JSON error shape.
func (s *Service) WriteFault(w http.ResponseWriter, _ *http.Request, code string) {
	switch code {
	case "KMSInternalException", "InternalFailure", "DependencyTimeoutException":
		writeStatusError(w, http.StatusInternalServerError, code, "")
	case "ServiceUnavailable", "ServiceUnavailableException":
		writeStatusError(w, http.StatusServiceUnavailable, code, "Service is unavailable")
	case "ThrottlingException":
		simcore.WriteJSONError(w, code, "Rate exceeded")
	default:
		simcore.WriteJSONError(w, code, "")
	}
}

// decode reads a request body into v; an empty body is an empty request.
func decode(c *call, v any) error {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return newError("SerializationException", "Start of structure or map found where not expected.")
	}
	return nil
}

// record adds the CloudTrail record of a write, successful or not.
func (s *Service) record(c *call, name string, out any, err error) {
	w := simcore.Write{
		Source:     eventSource,
		Name:       name,
		Region:     c.region,
		Parameters: camelJSON(c.body),
	}
	if out != nil {
		if b, mErr := json.Marshal(out); mErr == nil && string(b) != "{}" {
			w.Response = camelJSON(b)
		}
	}
	if c.keyARN != "" {
		w.Resources = []simcore.Resource{
			{AccountID: s.env.Account, Type: "AWS::KMS::Key", ARN: c.keyARN},
		}
	}
	if e, ok := err.(*apiError); ok {
		w.ErrorCode, w.ErrorMessage = e.code, e.message
		// CloudTrail logs a KMS denial as AccessDenied, not as the API's code.
		if e.code == "AccessDeniedException" {
			w.ErrorCode = "AccessDenied"
		}
	}
	s.env.RecordWrite(c.r, w)
}

// camelJSON turns a JSON document's object keys lowerCamelCase, as CloudTrail writes the
// requestParameters and responseElements of KMS calls. Invalid JSON gives nil.
func camelJSON(raw []byte) any {
	var v any
	if len(bytes.TrimSpace(raw)) == 0 || json.Unmarshal(raw, &v) != nil {
		return nil
	}
	return camel(v)
}

func camel(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			out[lowerFirst(k)] = camel(val)
		}
		return out
	case []any:
		for i := range t {
			t[i] = camel(t[i])
		}
		return t
	}
	return v
}

func lowerFirst(s string) string {
	if strings.HasPrefix(s, "AWS") {
		return "aws" + s[3:]
	}
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// epoch renders a time as JSON 1.1 does: seconds since the epoch, with milliseconds.
func epoch(t time.Time) float64 {
	return float64(t.UnixMilli()) / 1000
}

// persisted is the service's state as MarshalState writes it.
type persisted struct {
	Keys    []key   `json:"keys"`
	Aliases []alias `json:"aliases"`
}

// MarshalState returns every key and alias as JSON.
func (s *Service) MarshalState() (json.RawMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	p := persisted{Keys: []key{}, Aliases: []alias{}}
	for _, k := range s.keys {
		p.Keys = append(p.Keys, *k)
	}
	for _, a := range s.aliases {
		p.Aliases = append(p.Aliases, *a)
	}
	sort.Slice(p.Keys, func(i, j int) bool { return p.Keys[i].ID < p.Keys[j].ID })
	sort.Slice(p.Aliases, func(i, j int) bool {
		return aliasKey(p.Aliases[i].Region, p.Aliases[i].Name) <
			aliasKey(p.Aliases[j].Region, p.Aliases[j].Name)
	})
	return json.Marshal(p)
}

// LoadState replaces every key and alias with those of a MarshalState document.
func (s *Service) LoadState(raw json.RawMessage) error {
	var p persisted
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	s.keys = map[string]*key{}
	s.aliases = map[string]*alias{}
	for i := range p.Keys {
		k := p.Keys[i]
		s.keys[k.ID] = &k
	}
	for i := range p.Aliases {
		a := p.Aliases[i]
		s.aliases[aliasKey(a.Region, a.Name)] = &a
	}
	return nil
}
