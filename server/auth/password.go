package auth

import (
	"github.com/alexedwards/argon2id"
)

// passwordParams follow OWASP's argon2id recommendation (19 MiB, 2 passes).
var passwordParams = &argon2id.Params{
	Memory:      19 * 1024,
	Iterations:  2,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

// HashPassword returns the argon2id hash of password in PHC string format.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, passwordParams)
}

// CheckPassword reports whether password matches hash.
func CheckPassword(password, hash string) bool {
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

// dummyHash is compared against when an account does not exist, so that a
// wrong email takes as long as a wrong password and does not reveal which
// emails are registered.
var dummyHash, _ = HashPassword("not a real password")
