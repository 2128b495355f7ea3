// Package auth holds the Ward server's secrets handling: argon2id password
// hashes, random session and API tokens stored only as hashes, and a
// limiter that slows down password guessing.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost settings. The defaults follow the argon2id
// recommendation for interactive logins with 64 MiB of memory.
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultParams is what new hashes use.
var DefaultParams = Params{Time: 1, Memory: 64 * 1024, Threads: 2}

// The costliest stored hash CheckPassword will compute: 1 GiB, 10 passes.
const (
	maxMemory = 1 << 20
	maxTime   = 10
)

// ErrMismatch is returned when a password does not match its hash.
var ErrMismatch = errors.New("password does not match")

// MinPasswordLength is the shortest password accepted for a new account.
const MinPasswordLength = 12

// HashPassword returns the password's argon2id hash in the standard
// $argon2id$v=19$m=…,t=…,p=…$salt$key encoding.
func HashPassword(password string, p Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// The key lengths CheckPassword accepts; HashPassword writes 32 bytes.
const (
	minKeyLength = 16
	maxKeyLength = 64
)

// CheckPassword compares a password with a hash in constant time.
func CheckPassword(hash, password string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return fmt.Errorf("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return fmt.Errorf("unsupported argon2 version %q", parts[2])
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return fmt.Errorf("bad argon2 parameters %q", parts[3])
	}
	if p.Time == 0 || p.Threads == 0 {
		return fmt.Errorf("bad argon2 parameters %q: time and threads must be at least 1", parts[3])
	}
	// A hash is data: one edited to ask for gigabytes or hours must not
	// make a sign-in exhaust the server.
	if p.Memory > maxMemory || p.Time > maxTime {
		return fmt.Errorf("argon2 parameters %q are beyond what Ward checks (memory at most %d KiB, time at most %d)", parts[3], maxMemory, maxTime)
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("bad salt: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return fmt.Errorf("bad key: %w", err)
	}
	// An empty key would match every password.
	if len(want) < minKeyLength || len(want) > maxKeyLength {
		return fmt.Errorf("bad key: %d bytes, want %d to %d", len(want), minKeyLength, maxKeyLength)
	}
	//nolint:gosec // G115: len(want) is at most maxKeyLength, checked above.
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// TokenPrefix starts every API token, so secret scanners can recognise a
// leaked one.
const TokenPrefix = "ward_"

// NewToken returns a random secret (for a session cookie or an API token,
// with prefix) and the hash under which it is stored.
func NewToken(prefix string) (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret), nil
}

// HashToken is the stored form of a token: tokens are long random strings,
// so a fast hash is enough to make a leaked table useless.
func HashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Equal compares two secrets in constant time.
func Equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
