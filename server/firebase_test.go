package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	firebase "firebase.google.com/go/v4"
	"google.golang.org/api/option"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server"
	"flexwork/server/servertest"
)

const firebaseProject = "flexwork-test"

// fakeAuthEmulator answers the one call the Firebase Admin SDK makes to the
// Auth emulator while verifying an ID token: the user lookup that checks the
// account is not disabled. It is the edge of the network — the real SDK does
// everything else.
type fakeAuthEmulator struct {
	mu       sync.Mutex
	disabled map[string]bool
}

func (f *fakeAuthEmulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/projects/"+firebaseProject+"/accounts:lookup") {
		http.NotFound(w, r)
		return
	}
	var req struct{ LocalID []string }
	_ = json.NewDecoder(r.Body).Decode(&req)
	f.mu.Lock()
	defer f.mu.Unlock()
	users := []map[string]any{}
	for _, uid := range req.LocalID {
		users = append(users, map[string]any{"localId": uid, "disabled": f.disabled[uid], "validSince": "0"})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"users": users})
}

// idToken makes an unsigned Firebase ID token, as the Auth emulator issues
// them; the SDK in emulator mode checks everything but the signature.
func idToken(project, uid string, claims map[string]any, issued time.Time) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	payload := map[string]any{
		"iss": "https://securetoken.google.com/" + project, "aud": project, "sub": uid,
		"iat": issued.Unix(), "exp": issued.Add(time.Hour).Unix(), "auth_time": issued.Unix(),
	}
	for k, v := range claims {
		payload[k] = v
	}
	return enc(map[string]any{"alg": "none", "typ": "JWT"}) + "." + enc(payload) + "."
}

func TestFirebaseIDTokenSignsIn(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		emu := &fakeAuthEmulator{disabled: map[string]bool{}}
		hs := httptest.NewServer(emu)
		defer hs.Close()
		t.Setenv("FIREBASE_AUTH_EMULATOR_HOST", strings.TrimPrefix(hs.URL, "http://"))
		ctx := context.Background()
		app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: firebaseProject}, option.WithoutAuthentication())
		if err != nil {
			t.Fatal(err)
		}
		client, err := app.Auth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		env := servertest.Start(t, db,
			servertest.WithEnv(map[string]string{"FLEXWORK_AUTH": "firebase", "FIREBASE_PROJECT_ID": firebaseProject}),
			servertest.WithDeps(func(d *server.Deps) { d.FirebaseAuth = client }))

		now := time.Now()
		fern := idToken(firebaseProject, "fb-fern", map[string]any{"email": "Fern@Example.com", "email_verified": true, "name": "Fern"}, now)
		var me struct {
			Viewer struct{ ID, DisplayName, Email string }
		}
		env.Must(fern, viewerQuery, nil, &me)
		if me.Viewer.ID == "" || me.Viewer.DisplayName != "Fern" || me.Viewer.Email != "fern@example.com" {
			t.Fatalf("first Firebase sign-in: viewer = %+v", me.Viewer)
		}
		first := me.Viewer.ID
		env.Must(fern, viewerQuery, nil, &me)
		if me.Viewer.ID != first {
			t.Fatalf("second sign-in made a new user: %s, then %s", first, me.Viewer.ID)
		}

		for name, tok := range map[string]string{
			"another project": idToken("someone-else", "fb-fern", nil, now),
			"expired":         idToken(firebaseProject, "fb-fern", nil, now.Add(-3*time.Hour)),
			"garbage":         "not.a.token",
		} {
			if r := env.Do(tok, viewerQuery, nil); r.Code() != "UNAUTHENTICATED" || r.Data != nil {
				t.Fatalf("%s token: status %d %+v, want UNAUTHENTICATED", name, r.Status, r.Errors)
			}
		}
		emu.mu.Lock()
		emu.disabled["fb-fern"] = true
		emu.mu.Unlock()
		if r := env.Do(fern, viewerQuery, nil); r.Code() != "UNAUTHENTICATED" || r.Data != nil {
			t.Fatalf("disabled Firebase account: status %d %+v, want UNAUTHENTICATED", r.Status, r.Errors)
		}

		// Local accounts are off in Firebase mode.
		r := env.Do("", `mutation { signUp(input: {email: "x@example.com", password: "lantern orchid pw", displayName: "X"}) { email } }`, nil)
		if r.Code() != "FORBIDDEN" {
			t.Fatalf("signUp in Firebase mode: %+v, want FORBIDDEN", r.Errors)
		}
	})
}
