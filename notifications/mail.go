package notifications

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"
)

// Mail is one plain-text e-mail to one person.
type Mail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Mailer delivers e-mail: the way to reach someone who has no session (a
// sign-up to confirm, an invitation to an address with no account yet).
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// LogMailer writes mails to the log instead of sending them: the embedded
// default, where a developer reads a sign-up code from the server's output.
type LogMailer struct{ Log *slog.Logger }

// Send logs the mail.
func (l LogMailer) Send(ctx context.Context, m Mail) error {
	l.Log.InfoContext(ctx, "mail (not sent: set SMTP_URL to send mail)", "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}

// SMTPMailer sends mail through an SMTP server: STARTTLS when the server
// offers it, and AUTH PLAIN when the URL carries a user.
type SMTPMailer struct {
	Addr, Host string // host:port, and the name TLS checks
	From       string
	Auth       smtp.Auth
	Timeout    time.Duration
}

// NewSMTPMailer reads smtp://[user:password@]host:port; from is the sender,
// e.g. "flexwork <no-reply@example.com>".
func NewSMTPMailer(rawURL, from string) (*SMTPMailer, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "smtp" || u.Host == "" {
		return nil, fmt.Errorf("SMTP_URL must look like smtp://user:password@host:587, got %q", rawURL)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, port = u.Host, "587"
	}
	m := &SMTPMailer{Addr: net.JoinHostPort(host, port), Host: host, From: from, Timeout: 20 * time.Second}
	if u.User != nil {
		pw, _ := u.User.Password()
		m.Auth = smtp.PlainAuth("", u.User.Username(), pw, host)
	}
	return m, nil
}

// Send delivers one mail, giving up after the timeout or when ctx ends.
func (s *SMTPMailer) Send(ctx context.Context, m Mail) error {
	from, err := mailAddress(s.From)
	if err != nil {
		return fmt.Errorf("mail: sender %q: %w", s.From, err)
	}
	to, err := mailAddress(m.To)
	if err != nil {
		return fmt.Errorf("mail: recipient: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
	}
	if s.Auth != nil {
		if err := c.Auth(s.Auth); err != nil {
			return fmt.Errorf("mail: AUTH: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(message(s.From, m)); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return c.Quit()
}

// mailAddress is the bare address of "Name <addr>" or "addr", refusing line
// breaks (header injection).
func mailAddress(s string) (string, error) {
	if strings.ContainsAny(s, "\r\n") {
		return "", errors.New("line break in an address")
	}
	if i, j := strings.LastIndex(s, "<"), strings.LastIndex(s, ">"); i >= 0 && j > i {
		s = s[i+1 : j]
	}
	if !strings.Contains(s, "@") {
		return "", fmt.Errorf("%q is not an address", s)
	}
	return s, nil
}

// message renders a mail as RFC 5322 text: UTF-8, quoted-printable, the
// subject encoded for any language.
func message(from string, m Mail) []byte {
	var b bytes.Buffer
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	domain := "flexwork.invalid"
	if addr, err := mailAddress(from); err == nil {
		domain = addr[strings.LastIndex(addr, "@")+1:]
	}
	clean := func(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n",
		clean(from), clean(m.To), mime.QEncoding.Encode("utf-8", clean(m.Subject)),
		time.Now().UTC().Format(time.RFC1123Z), hex.EncodeToString(id), domain)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n")))
	_ = qp.Close()
	return b.Bytes()
}

// MailArgs sends one mail from the job queue: mail that a change causes is
// queued in its transaction, so a rollback sends nothing.
type MailArgs struct {
	Mail Mail `json:"mail"`
}

// Kind implements river.JobArgs.
func (MailArgs) Kind() string { return "mail" }

type mailWorker struct {
	river.WorkerDefaults[MailArgs]
	s *Service
}

func (w *mailWorker) Work(ctx context.Context, job *river.Job[MailArgs]) error {
	return w.s.mailer.Send(ctx, job.Args.Mail)
}

// QueueMail sends m once the transaction ctx carries commits.
func (s *Service) QueueMail(ctx context.Context, m Mail) error {
	return s.enqueue(ctx, MailArgs{Mail: m}, nil)
}

// SendMail sends m now (sign-up codes: the person is waiting for it).
func (s *Service) SendMail(ctx context.Context, m Mail) error { return s.mailer.Send(ctx, m) }
