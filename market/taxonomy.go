package market

import (
	"context"
	"sync"

	"flexwork/ent"
	"flexwork/ent/rule"
)

// skillCache keeps the skills taxonomy in memory: it is small, read on every
// feed page and shift, and changes only when EnsureSkills adds entries.
type skillCache struct {
	mu   sync.RWMutex
	byID map[string]*ent.Skill
}

// SkillsByID returns the skills with the given IDs, in order, from memory;
// an ID it does not know makes it reload the taxonomy once.
func (m *Market) SkillsByID(ctx context.Context, ids []string) ([]*ent.Skill, error) {
	if out, ok := m.skills.lookup(ids); ok {
		return out, nil
	}
	db, keep := m.cacheFiller(ctx)
	all, err := db.Skill.Query().All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*ent.Skill, len(all))
	for _, s := range all {
		byID[s.ID] = s
	}
	if keep {
		m.skills.mu.Lock()
		m.skills.byID = byID
		m.skills.mu.Unlock()
	}
	out, _ := (&skillCache{byID: byID}).lookup(ids)
	return out, nil
}

func (c *skillCache) lookup(ids []string) ([]*ent.Skill, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*ent.Skill, 0, len(ids))
	for _, id := range ids {
		s, ok := c.byID[id]
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// skillRefs names skills for screening messages.
func (m *Market) skillRefs(ctx context.Context, ids []string) ([]SkillRef, error) {
	skills, err := m.SkillsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]SkillRef, len(skills))
	for i, s := range skills {
		out[i] = SkillRef{ID: s.ID, Slug: s.Slug, Name: s.Name}
	}
	return out, nil
}
