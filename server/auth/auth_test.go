package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var fast = Params{Time: 1, Memory: 1024, Threads: 1}

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash encoding = %s", h)
	}
	if err := CheckPassword(h, "correct horse battery"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := CheckPassword(h, "correct horse batterz"); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: %v", err)
	}
	h2, _ := HashPassword("correct horse battery", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$a$b", "$argon2id$v=18$m=1,t=1,p=1$a$b", "$argon2id$v=19$m=x$a$b", "$argon2id$v=19$m=1,t=1,p=1$!$b",
		// Rounds or threads of 0 must not reach argon2, which panics.
		"$argon2id$v=19$m=8,t=0,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=8,t=1,p=0$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
		// An empty key would match any password.
		"$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0$",
		// Costs an edited hash could ask for: refused before computing.
		"$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=8,t=1000,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"} {
		if err := CheckPassword(bad, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("CheckPassword(%q) = %v, want a format error", bad, err)
		}
	}
}

func TestToken(t *testing.T) {
	s1, h1, _ := NewToken(TokenPrefix)
	s2, h2, _ := NewToken(TokenPrefix)
	if s1 == s2 || h1 == h2 || !strings.HasPrefix(s1, "ward_") || len(s1) < 40 {
		t.Errorf("tokens %q %q", s1, s2)
	}
	if HashToken(s1) != h1 || strings.Contains(h1, s1) {
		t.Error("hash does not match its token")
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := NewLimiter(3, time.Minute)
	l.now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != time.Minute {
		t.Fatalf("fourth attempt: %v, wait %v", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("another key is limited by a's attempts")
	}
	now = now.Add(time.Minute)
	if ok, _ := l.Allow("a"); !ok {
		t.Error("no attempt allowed after the refill time")
	}
	l.maxKeys = 2
	l.Allow("c")
	if len(l.buckets) > 2 {
		t.Errorf("limiter remembers %d keys, cap 2", len(l.buckets))
	}
}
