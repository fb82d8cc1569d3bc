package server

import (
	"maps"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// A shapePlan is what queryShape's walk of an operation found without its
// variables: the fields whose page size or cursors must be checked
// against each request's variables, in the walk's order, and the refusal
// the document itself earns after them (depth, aliases, introspection),
// if any. Checking a request against it refuses what the whole walk would
// refuse, the same first refusal included. The walk made maps for every
// selection set of every request — on a feed page some 17 kB and a
// seventieth of the server's CPU — for an answer that, but for those
// arguments, is the same for every request of one document.
type shapePlan struct {
	checks []*ast.Field
	err    *gqlerror.Error
}

// check refuses the first field whose arguments fail with vars, or else
// the document's own refusal (a copy: the executor may add to an error).
func (p *shapePlan) check(vars map[string]any) *gqlerror.Error {
	w := shapeWalker{vars: vars}
	for _, f := range p.checks {
		w.checkPage(f)
		w.checkCursors(f) // as the walk did: a bad cursor's refusal wins over the page's
		if w.err != nil {
			return w.err
		}
	}
	if p.err == nil {
		return nil
	}
	e := *p.err
	e.Extensions = maps.Clone(p.err.Extensions)
	return &e
}

// takesPageOrCursor tells whether a field has a `first` argument or one
// of type Cursor: what checkPage and checkCursors look at.
func takesPageOrCursor(f *ast.Field) bool {
	if f.Definition == nil {
		return false
	}
	for _, a := range f.Definition.Arguments {
		if a.Name == "first" || a.Type.Name() == "Cursor" {
			return true
		}
	}
	return false
}

// shapePlans keeps the plans of the operations gqlgen's query cache hands
// out again (one parsed document per query text). The bound only keeps a
// stream of one-off documents from growing it.
type shapePlans struct {
	mu    sync.RWMutex
	plans map[*ast.OperationDefinition]*shapePlan
}

func (s *shapePlans) of(op *ast.OperationDefinition, walk func() *shapePlan) *shapePlan {
	s.mu.RLock()
	p, ok := s.plans[op]
	s.mu.RUnlock()
	if ok {
		return p
	}
	p = walk()
	s.mu.Lock()
	if s.plans == nil || len(s.plans) >= 1024 {
		s.plans = map[*ast.OperationDefinition]*shapePlan{}
	}
	s.plans[op] = p
	s.mu.Unlock()
	return p
}
