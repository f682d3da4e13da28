// Package mailtest runs a real SMTP server in the test process (github.com/emersion/go-smtp)
// that keeps what it receives, can refuse messages with a given answer, and can be stopped
// and started again on the same port: the server the mail tests send to.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
}

// MessageID is the message's Message-ID header, without angle brackets.
func (r Received) MessageID() string {
	m, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		return ""
	}
	return strings.Trim(m.Header.Get("Message-Id"), "<>")
}

// Server is an SMTP server on 127.0.0.1.
type Server struct {
	Username, Password string // when set, AUTH PLAIN with these is required

	tlsConfig *tls.Config // StartTLS: offered by STARTTLS, or from the first byte (implicit)
	implicit  bool

	mu       sync.Mutex
	addr     string
	srv      *smtp.Server
	ln       net.Listener
	received []Received
	refuse   []*smtp.SMTPError // answers to the next DATA commands, in order
	closed   bool
	hold     chan struct{} // HoldNext: closed to release the held message
	held     chan struct{} // HoldNext: closed when a message is held
}

// HoldNext makes the next message wait, after its data is read and before the answer,
// until release is called; it is then refused (451): the sender was killed meanwhile, as
// far as a test cares. arrived is closed when the message is being held.
func (s *Server) HoldNext() (arrived <-chan struct{}, release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold, s.held = make(chan struct{}), make(chan struct{})
	hold := s.hold
	var once sync.Once
	return s.held, func() { once.Do(func() { close(hold) }) }
}

// Start starts a server on a free port; it stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	if err := s.listen("127.0.0.1:0"); err != nil {
		t.Fatalf("smtp server: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// StartTLS starts a server with a certificate made for 127.0.0.1 that offers STARTTLS, or
// speaks TLS from the first byte when implicit; client is the TLS config that trusts it.
func StartTLS(t testing.TB, implicit bool) (s *Server, client *tls.Config) {
	t.Helper()
	cert, pool, err := selfSigned()
	if err != nil {
		t.Fatalf("certificate: %v", err)
	}
	s = &Server{tlsConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, implicit: implicit}
	if err := s.listen("127.0.0.1:0"); err != nil {
		t.Fatalf("smtp server: %v", err)
	}
	t.Cleanup(s.Stop)
	return s, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(parsed)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: parsed}, pool, nil
}

// Addr is host:port; Host and Port its parts.
func (s *Server) Addr() string { s.mu.Lock(); defer s.mu.Unlock(); return s.addr }

// Port is the port the server listens on (the same after Restart).
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.Addr())
	n := 0
	for _, c := range p {
		n = n*10 + int(c-'0')
	}
	return n
}

func (s *Server) listen(addr string) error {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 50 << 20
	if s.tlsConfig != nil && !s.implicit {
		srv.TLSConfig = s.tlsConfig
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // a port just freed may take a moment to be bindable again
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	if s.tlsConfig != nil && s.implicit {
		ln = tls.NewListener(ln, s.tlsConfig)
	}
	s.mu.Lock()
	s.addr, s.srv, s.ln, s.closed = ln.Addr().String(), srv, ln, false
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return nil
}

// Stop closes the server: connections are refused until Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln, closed := s.srv, s.ln, s.closed
	s.closed = true
	s.mu.Unlock()
	if !closed && srv != nil {
		_ = ln.Close() // Serve may not have taken the listener yet
		_ = srv.Close()
	}
}

// Restart listens again on the same port.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.listen(s.Addr()); err != nil {
		t.Fatalf("restart smtp server: %v", err)
	}
}

// Refuse makes the next n messages get the answer code (e.g. 451: try later; 550: refused).
func (s *Server) Refuse(n int, code int, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		enh := smtp.EnhancedCode{code / 100, 0, 0}
		s.refuse = append(s.refuse, &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: message})
	}
}

// Received returns what the server accepted so far, in order.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Count is how many messages the server accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.received)
}

// ByMessageID counts the accepted messages per Message-ID.
func (s *Server) ByMessageID() map[string]int {
	out := map[string]int{}
	for _, r := range s.Received() {
		out[r.MessageID()]++
	}
	return out
}

// Wait waits until the server has accepted n messages or d passed, and returns the count.
func (s *Server) Wait(n int, d time.Duration) int {
	deadline := time.Now().Add(d)
	for {
		c := s.Count()
		if c >= n || time.Now().After(deadline) {
			return c
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != x.s.Username || password != x.s.Password {
			return errors.New("invalid credentials")
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.Username != "" && !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	if hold := x.s.hold; hold != nil {
		x.s.hold = nil
		close(x.s.held)
		x.s.mu.Unlock()
		<-hold
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 0, 0}, Message: "held and dropped"}
	}
	defer x.s.mu.Unlock()
	if len(x.s.refuse) > 0 {
		e := x.s.refuse[0]
		x.s.refuse = x.s.refuse[1:]
		return e
	}
	x.s.received = append(x.s.received, Received{From: x.from, To: append([]string(nil), x.to...), Data: b})
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
