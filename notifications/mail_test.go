package notifications_test

import (
	"context"
	"testing"
	"time"

	"flexwork/notifications"
	"flexwork/notifications/smtpfake"
)

// TestSMTPMailerDeliversWhatItWasGiven: a mail in any language reaches the
// SMTP server as the recipient's client will read it.
func TestSMTPMailerDeliversWhatItWasGiven(t *testing.T) {
	fake, err := smtpfake.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	m, err := notifications.NewSMTPMailer(fake.URL(), "flexwork <no-reply@flexwork.example>")
	if err != nil {
		t.Fatal(err)
	}
	want := notifications.Mail{To: "ana@example.com", Subject: "您的验证码 — your code",
		Body: "Your code is 123456.\n\n.\nA line that is only a dot, and one that is very long: " +
			"ääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääää"}
	if err := m.Send(context.Background(), want); err != nil {
		t.Fatal(err)
	}
	got, ok := fake.Wait("ana@example.com", nil, time.Second)
	if !ok {
		t.Fatal("no mail arrived")
	}
	if got.From != "no-reply@flexwork.example" || got.Subject != want.Subject || got.Body != want.Body {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if err := m.Send(context.Background(), notifications.Mail{To: "eve@example.com\r\nBcc: all@example.com", Subject: "x"}); err == nil {
		t.Fatal("a recipient with a line break was sent to")
	}
}
