// Package smtpfake is a stand-in for the mail server flexwork hands its
// mail to, for tests: the real SMTP client (notifications.SMTPMailer, over
// net/smtp) talks SMTP to it on a local port. It speaks the commands a
// plain submission needs (RFC 5321: EHLO, MAIL, RCPT, DATA, RSET, NOOP,
// QUIT), offers no STARTTLS or AUTH, and keeps every message it accepts.
package smtpfake

import (
	"bufio"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"
)

// Message is one accepted mail, decoded.
type Message struct {
	From, To, Subject, Body string
}

// Server is a fake SMTP server.
type Server struct {
	ln       net.Listener
	mu       sync.Mutex
	messages []Message
	arrived  chan struct{}
	wg       sync.WaitGroup
}

// Start runs a fake SMTP server on a local port.
func Start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, arrived: make(chan struct{}, 1)}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// URL is what to give SMTP_URL.
func (s *Server) URL() string { return "smtp://" + s.ln.Addr().String() }

// Close stops the server.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

// Messages returns every message accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Last returns the latest message to to that satisfies match.
func (s *Server) Last(to string, match func(Message) bool) (Message, bool) {
	msgs := s.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(msgs[i].To, to) && (match == nil || match(msgs[i])) {
			return msgs[i], true
		}
	}
	return Message{}, false
}

// Wait returns the first message to to that satisfies match, waiting up to
// timeout for it to arrive.
func (s *Server) Wait(to string, match func(Message) bool, timeout time.Duration) (Message, bool) {
	deadline := time.After(timeout)
	for {
		for _, m := range s.Messages() {
			if strings.EqualFold(m.To, to) && (match == nil || match(m)) {
				return m, true
			}
		}
		select {
		case <-s.arrived:
		case <-deadline:
			return Message{}, false
		}
	}
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(conn)
		}()
	}
}

func (s *Server) serve(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	r, w := bufio.NewReader(conn), bufio.NewWriter(conn)
	say := func(line string) {
		_, _ = w.WriteString(line + "\r\n")
		_ = w.Flush()
	}
	say("220 smtpfake ready")
	var from string
	var to []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-smtpfake")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "HELO"):
			say("250 smtpfake")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			from, to = addr(line[len("MAIL FROM:"):]), nil
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			to = append(to, addr(line[len("RCPT TO:"):]))
			say("250 OK")
		case cmd == "DATA":
			if from == "" || len(to) == 0 {
				say("503 need MAIL and RCPT first")
				continue
			}
			say("354 end with <CRLF>.<CRLF>")
			var raw strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
				raw.WriteString(strings.TrimPrefix(l, ".")) // dot-stuffing
			}
			s.keep(from, to, raw.String())
			say("250 OK: queued")
			from, to = "", nil
		case cmd == "RSET":
			from, to = "", nil
			say("250 OK")
		case cmd == "NOOP":
			say("250 OK")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 command not implemented")
		}
	}
}

func addr(s string) string {
	s = strings.TrimSpace(s)
	if i, j := strings.Index(s, "<"), strings.Index(s, ">"); i >= 0 && j > i {
		return s[i+1 : j]
	}
	return s
}

// keep decodes a message as a mail client would and stores it.
func (s *Server) keep(from string, to []string, raw string) {
	m := Message{From: from}
	if msg, err := mail.ReadMessage(strings.NewReader(raw)); err == nil {
		m.Subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		var body io.Reader = msg.Body
		if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(body)
		}
		b, _ := io.ReadAll(body)
		// The transport ends the text with a line break of its own.
		m.Body = strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	}
	s.mu.Lock()
	for _, t := range to {
		m.To = t
		s.messages = append(s.messages, m)
	}
	s.mu.Unlock()
	select {
	case s.arrived <- struct{}{}:
	default:
	}
}
