package server_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/market/idcheck"
	"flexwork/market/idcheck/idcheckfake"
	"flexwork/market/jurisdiction"
	"flexwork/server"
	"flexwork/server/servertest"
)

// TestTheLogsHoldNoSensitiveValue: everything the server logs, at debug
// level, through a story that hands it every sensitive value a person
// gives — a password, tokens, a device token, an identity number (once
// mistyped, once while the identity service fails), a bank account, a
// payout — holds none of them (market/grading.go names them).
func TestTheLogsHoldNoSensitiveValue(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	logs := &syncBuffer{}
	ids := idcheckfake.Start()
	defer ids.Close()
	env, _, ana, _ := paidWorkers(t, db, servertest.WithDeps(func(d *server.Deps) {
		d.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		d.RealNameCheck = idcheck.New(ids.URL, "a wrong app code") // the service refuses: a warning is logged
	}))
	number := jurisdiction.ResidentID(time.Date(1991, 2, 3, 0, 0, 0, 0, time.UTC), 77)
	mistyped := number[:17] + map[bool]string{true: "1", false: "2"}[number[17] != '1']
	const iban = "DE89370400440532013000"
	const deviceToken = "fcm-token-d3v1c3-s3cr3t-0123456789"
	if r := env.Op(ana.Token, "SubmitRealName", input(map[string]any{"legalName": "Ana Lima", "idNumber": mistyped})); r.Code() != "BAD_USER_INPUT" {
		t.Fatalf("a mistyped number: %+v", r.Errors)
	}
	env.MustOp(ana.Token, "SubmitRealName", input(map[string]any{"legalName": "Ana Lima", "idNumber": number}), &struct{}{})
	env.MustOp(ana.Token, "SetBankAccount", input(map[string]any{"holderName": "Ana Lima", "bankName": "Sparkasse", "accountNumber": iban}), &struct{}{})
	env.MustOp(ana.Token, "RequestPayout", input(map[string]any{"currency": "EUR"}), &struct{}{})
	env.MustOp(ana.Token, "RegisterDevice", input(map[string]any{"token": deviceToken, "platform": "ANDROID"}), &struct{}{})

	text := logs.take()
	if !strings.Contains(text, "real-name check failed") {
		t.Fatalf("the story logged nothing to scan; the logs:\n%s", text)
	}
	for what, v := range map[string]string{"the identity number": number, "the mistyped number": mistyped, "its middle digits": number[6:14] + number[14:17],
		"the bank account": iban, "the password": "correct horse battery", "the access token": ana.Token, "the refresh token": ana.Refresh,
		"the device token": deviceToken} {
		if v != "" && strings.Contains(text, v) {
			t.Errorf("the logs hold %s", what)
		}
	}
}
