package sandbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"slateo-s3/awsops/sandbox/kmssim"
	"slateo-s3/awsops/sandbox/s3sim"
	"slateo-s3/awsops/sandbox/scenario"
	"slateo-s3/awsops/sandbox/simcore"
	"slateo-s3/awsops/sandbox/stssim"
	"slateo-s3/awsops/sandbox/trailsim"
)

// Server is a running sandbox.
type Server struct {
	opts     Options
	env      simcore.Env
	s3       *s3sim.Service
	kms      *kmssim.Service
	sts      *stssim.Service
	trail    *trailsim.Service
	services map[string]simcore.Service

	listener net.Listener
	http     *http.Server
	log      *requestLog
	state    *stateFile
	randMu   sync.Mutex
	rand     *rand.Rand
}

// ErrInvalidInput marks a Start error caused by the options or the files they name (a bad
// listen address, account, fault or org role; an unreadable state, events or report file),
// as opposed to a failure to serve, such as a port already in use.
var ErrInvalidInput = errors.New("invalid sandbox input")

// Start builds the account (from the state file, else the scenario), listens, and serves in
// the background until Close.
func Start(o Options) (*Server, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("starting sandbox: %w: %w", ErrInvalidInput, err)
	}
	s, err := build(o)
	if err != nil {
		return nil, fmt.Errorf("starting sandbox: %w: %w", ErrInvalidInput, err)
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return nil, fmt.Errorf("starting sandbox on %s: %w", o.Listen, err)
	}
	s.listener = ln
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// build makes the services, refuses faults for operations they do not answer, loads the
// state file or applies the scenario, and seeds events.
func build(o Options) (*Server, error) {
	requested := o.Faults // the caller's; a report's denials are added below
	saved, err := readState(o.StateFile)
	if err != nil {
		return nil, err
	}
	rep, err := readReport(o.FromReport)
	if err != nil {
		return nil, err
	}
	if saved == nil {
		o = o.withReport(rep)
	}
	if saved == nil && rep == nil {
		o.OrgRoles = append(slices.Clone(o.OrgRoles), scenario.OrgRoles(o.Scenario)...)
	}
	account := o.Account
	if account == "" && saved != nil {
		account = saved.Account
	}
	if account == "" {
		account = defaultAccount
	}
	s := &Server{opts: o, log: newRequestLog(o.Log),
		rand: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5eed))}
	s.state = &stateFile{path: o.StateFile}
	s.env = simcore.Env{Account: account, Now: o.Now, Journal: &simcore.Journal{},
		Changed: s.changed, OrgRoles: o.OrgRoles}
	s.makeServices()
	if err := checkFaultOperations(requested, s.services); err != nil {
		return nil, err
	}
	switch {
	case saved != nil:
		err = s.loadState(saved)
	case rep != nil:
		err = applyReport(rep, s)
	default:
		err = applyScenario(o.Scenario, s)
	}
	if err != nil {
		return nil, err
	}
	if err := s.addEvents(o.EventsFile); err != nil {
		return nil, err
	}
	s.state.ready()
	return s, s.save()
}

func (s *Server) makeServices() {
	s.s3 = s3sim.New(s.env)
	s.kms = kmssim.New(s.env)
	s.sts = stssim.New(s.env)
	s.trail = trailsim.New(s.env)
	s.trail.UseBuckets(s.s3.BucketExists)
	s.services = map[string]simcore.Service{
		"s3": s.s3, "kms": s.kms, "sts": s.sts, "cloudtrail": s.trail,
	}
}

// Addr returns the address the sandbox listens on, which may be every interface.
func (s *Server) Addr() net.Addr {
	return s.listener.Addr()
}

// URL returns the endpoint to give clients, "http://127.0.0.1:PORT".
func (s *Server) URL() string {
	addr := s.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
}

// closeGrace is how long Close waits for requests in flight before cutting them off.
const closeGrace = 2 * time.Second

// Close stops accepting requests, lets those in flight finish for a moment (so that their
// request log lines and state saves are done when Close returns), then releases the port.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
	defer cancel()
	if err := s.http.Shutdown(ctx); err == nil || errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	if err := s.http.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("closing sandbox: %w", err)
	}
	return nil
}

// Account returns the account id the sandbox serves.
func (s *Server) Account() string { return s.env.Account }

// S3 returns the simulated S3, for tests and scenarios that put objects or read them back.
func (s *Server) S3() *s3sim.Service { return s.s3 }

// KMS returns the simulated KMS.
func (s *Server) KMS() *kmssim.Service { return s.kms }

// CloudTrail returns the simulated CloudTrail.
func (s *Server) CloudTrail() *trailsim.Service { return s.trail }

// Journal returns the account's CloudTrail management events.
func (s *Server) Journal() *simcore.Journal { return s.env.Journal }

// ServeHTTP routes a request to its service, after the latency, the faults and with the
// request log.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, svc := s.route(r)
	rec := &statusRecorder{ResponseWriter: w}
	op, bucket := "", ""
	if svc != nil {
		op, bucket = svc.Operation(r)
	}
	before := s.env.Journal.Len()
	defer func() {
		s.log.write(s.env.Now(), name, op, bucket, rec.status())
		if s.env.Journal.Len() != before {
			s.changed()
		}
	}()
	if !s.wait(r.Context()) {
		rec.code = 499
		return
	}
	if svc == nil {
		writeUnauthenticated(rec, r)
		return
	}
	if code, ok := s.fault(op, bucket); ok {
		svc.WriteFault(rec, r, code)
		return
	}
	svc.ServeHTTP(rec, r)
}

// route picks the service from the SigV4 credential scope; an unauthenticated OPTIONS is an
// S3 CORS preflight. It returns a nil service for a request it cannot serve.
func (s *Server) route(r *http.Request) (string, simcore.Service) {
	scope, signed := simcore.CredentialScope(r)
	if !signed {
		if r.Method == http.MethodOptions {
			return "s3", s.s3
		}
		return unsignedService(r), nil
	}
	svc, ok := s.services[scope.Service]
	if !ok {
		return scope.Service, nil
	}
	return scope.Service, svc
}

// wait sleeps for the configured latency and reports false when the request was cancelled.
func (s *Server) wait(ctx context.Context) bool {
	if s.opts.Latency <= 0 {
		return true
	}
	t := time.NewTimer(s.opts.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// fault returns the error code of the first fault that matches and fires.
func (s *Server) fault(op, bucket string) (string, bool) {
	for _, f := range s.opts.Faults {
		if !f.matches(op, bucket) {
			continue
		}
		if f.rate() >= 1 || s.roll() < f.rate() {
			return f.Code, true
		}
	}
	return "", false
}

func (s *Server) roll() float64 {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	return s.rand.Float64()
}

// unsignedService guesses which service an unsigned request was meant for, to answer it in
// that service's error shape.
func unsignedService(r *http.Request) string {
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		return "json"
	case r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"),
		"application/x-www-form-urlencoded"):
		return "sts"
	}
	return "s3"
}

// writeUnauthenticated answers a request without a SigV4 signature, or for a service the
// sandbox does not simulate, as AWS answers an anonymous caller.
func writeUnauthenticated(w http.ResponseWriter, r *http.Request) {
	if _, signed := simcore.CredentialScope(r); signed {
		simcore.WriteJSONError(w, "UnrecognizedClientException",
			"The sandbox does not simulate this service.")
		return
	}
	switch unsignedService(r) {
	case "json":
		simcore.WriteJSONError(w, "MissingAuthenticationTokenException",
			"Missing Authentication Token")
	case "sts":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprintf(w, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/"+
			"2011-06-15/\"><Error><Type>Sender</Type><Code>MissingAuthenticationToken"+
			"</Code><Message>Request is missing Authentication Token</Message></Error>"+
			"<RequestId>%s</RequestId></ErrorResponse>", simcore.RequestID())
	default:
		simcore.WriteS3Error(w, r, http.StatusForbidden, "AccessDenied", "Access Denied")
	}
}

// statusRecorder remembers the status a handler answered with, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}
