package server

import (
	"container/list"
	"sync"
)

// answers caches encoded API answers by key within a byte budget, the
// least recently used going first. Keys carry the project's revision, so a
// change anywhere — on this server or another sharing the database — makes
// the next read miss instead of serving stale data.
type answers struct {
	mu     sync.Mutex
	budget int
	used   int
	byKey  map[string]*list.Element
	order  *list.List // front: most recently used
}

type answer struct {
	key   string
	body  []byte
	total int // how many rows matched, when body is one page of them
}

func newAnswers(budget int) *answers {
	return &answers{budget: budget, byKey: map[string]*list.Element{}, order: list.New()}
}

func (a *answers) get(key string) (body []byte, total int, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, ok := a.byKey[key]
	if !ok {
		return nil, 0, false
	}
	a.order.MoveToFront(e)
	an := e.Value.(*answer)
	return an.body, an.total, true
}

func (a *answers) put(key string, body []byte, total int) {
	if len(body) > a.budget/4 {
		return // one huge answer would push out everything else
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if e, ok := a.byKey[key]; ok {
		a.used -= len(e.Value.(*answer).body)
		a.order.Remove(e)
	}
	a.byKey[key] = a.order.PushFront(&answer{key, body, total})
	a.used += len(body)
	for a.used > a.budget {
		last := a.order.Back()
		old := last.Value.(*answer)
		a.order.Remove(last)
		delete(a.byKey, old.key)
		a.used -= len(old.body)
	}
}
