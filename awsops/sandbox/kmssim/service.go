package kmssim

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
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
	return &Service{env: env.WithDefaults(), keys: map[string]*key{}, aliases: map[string]*alias{}}
}

// newError returns an error KMS answers with: a code and its message, HTTP 400.
func newError(code, message string) *simcore.JSONError {
	return &simcore.JSONError{Code: code, Message: message}
}

// protocol is how KMS reads its requests and writes its answers and faults.
var protocol = simcore.JSONProtocol{
	InternalCode: "KMSInternalException",
	ServerFaults: []string{
		"KMSInternalException", "InternalFailure", "DependencyTimeoutException",
	},
}

// call is one request being served.
type call struct {
	*simcore.JSONCall
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

// Operations lists, sorted, the KMS operations the service answers, from its routing table.
func (s *Service) Operations() []string {
	return slices.Sorted(maps.Keys(operations))
}

// ServeHTTP answers one KMS request.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, _ := s.Operation(r)
	op, ok := operations[name]
	protocol.Serve(w, r, ok, func(jc *simcore.JSONCall) (any, error) {
		c := &call{JSONCall: jc}
		out, err := op(s, c)
		if writes[name] {
			s.record(c, name, out, err)
		}
		return out, err
	})
}

// WriteFault answers a request with an injected error code: server faults (KMSInternalException,
// InternalFailure, DependencyTimeoutException, ServiceUnavailable) with a 5xx status, client
// errors with 400, each in KMS's JSON error shape.
func (s *Service) WriteFault(w http.ResponseWriter, _ *http.Request, code string) {
	protocol.WriteFault(w, code)
}

// record adds the CloudTrail record of a write, successful or not.
func (s *Service) record(c *call, name string, out any, err error) {
	w := simcore.Write{
		Source:     eventSource,
		Name:       name,
		Region:     c.Region,
		Parameters: camelJSON(c.Body),
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
	if e, ok := err.(*simcore.JSONError); ok {
		w.ErrorCode, w.ErrorMessage = e.Code, e.Message
		// CloudTrail logs a KMS denial as AccessDenied, not as the API's code.
		if e.Code == "AccessDeniedException" {
			w.ErrorCode = "AccessDenied"
		}
	}
	s.env.RecordWrite(c.Request, w)
}

// camelJSON turns a JSON document's object keys lowerCamelCase, as CloudTrail writes the
// requestParameters and responseElements of KMS calls. Invalid JSON gives nil.
func camelJSON(raw []byte) any {
	return simcore.RenameJSONKeys(raw, lowerFirst)
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
