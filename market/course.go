package market

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/course"
	"flexwork/ent/coursecompletion"
	"flexwork/ent/rule"
	"flexwork/ent/schema/quiz"
)

// CourseInput creates a course: by staff for the platform (no employer),
// or by an employer's managers for its shifts.
type CourseInput struct {
	EmployerID   *string         `json:"employerID"`
	SkillID      *string         `json:"skillID"`
	Kind         course.Kind     `json:"kind"`
	Title        string          `json:"title" validate:"required,max=120"`
	Content      string          `json:"content" validate:"max=20000"`
	Link         string          `json:"link" validate:"omitempty,url,max=500"`
	PassMark     int             `json:"passMark" validate:"gte=1,lte=100"`
	ValidityDays int             `json:"validityDays" validate:"gte=1,lte=1830"`
	Questions    []quiz.Question `json:"questions" validate:"min=1,max=30,dive"`
}

// TakeCourseInput answers a course's quiz: answers[i] is the index of the
// option chosen for question i.
type TakeCourseInput struct {
	CourseID string `json:"courseID" validate:"required"`
	Answers  []int  `json:"answers"`
}

// CreateCourse gives a course. The platform's courses are staff's to give;
// an employer's, its managers'.
func (m *Market) CreateCourse(ctx context.Context, in CourseInput) (*ent.Course, error) {
	if in.EmployerID == nil {
		if _, err := staff(ctx, "give the platform's courses"); err != nil {
			return nil, err
		}
	} else if _, err := manager(ctx, *in.EmployerID, "give courses"); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Content) == "" && in.Link == "" {
		return nil, BadInput("content", "give the course's content, or a link to it")
	}
	for i, q := range in.Questions {
		at := "questions." + strconv.Itoa(i)
		if strings.TrimSpace(q.Prompt) == "" || len(q.Options) < 2 || len(q.Options) > 8 {
			return nil, BadInput(at, "a question needs a prompt and 2 to 8 options")
		}
		if q.Answer < 0 || q.Answer >= len(q.Options) {
			return nil, BadInput(at+".answer", "the answer is the index of one of the options")
		}
	}
	if in.SkillID != nil {
		if _, err := knownSkills(ctx, m.client(ctx), []string{*in.SkillID}, func(int) string { return "skillID" }); err != nil {
			return nil, err
		}
	}
	kind := in.Kind
	if kind == "" {
		kind = course.KindTRAINING
	}
	c, err := m.client(ctx).Course.Create().SetNillableEmployerID(in.EmployerID).SetNillableSkillID(in.SkillID).SetKind(kind).
		SetTitle(strings.TrimSpace(in.Title)).SetContent(strings.TrimSpace(in.Content)).SetLink(in.Link).
		SetPassMark(in.PassMark).SetValidityDays(in.ValidityDays).SetQuestions(in.Questions).Save(ctx)
	if err == nil {
		m.courses.forget()
	}
	return c, err
}

// TakeCourse scores the worker's answers: a pass is valid for the course's
// validity days, and lifts the REQUIRED_COURSES gate of the shifts that
// need it. Every attempt is kept; a failed one may be tried again.
func (m *Market) TakeCourse(ctx context.Context, in TakeCourseInput) (*ent.CourseCompletion, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	c, err := m.client(ctx).Course.Get(ctx, in.CourseID)
	if ent.IsNotFound(err) {
		return nil, NotFound("course")
	}
	if err != nil {
		return nil, err
	}
	if len(in.Answers) != len(c.Questions) {
		return nil, BadInput("answers", "answer each of the "+strconv.Itoa(len(c.Questions))+" questions")
	}
	score := quiz.Score(c.Questions, in.Answers)
	create := m.client(ctx).CourseCompletion.Create().SetCourseID(c.ID).SetWorkerID(v.WorkerID).SetScore(score).SetPassed(score >= c.PassMark)
	if score >= c.PassMark {
		create.SetExpiresAt(m.Now().AddDate(0, 0, c.ValidityDays))
	}
	return create.Save(rule.System(ctx))
}

// CourseQuestions are a course's questions without their answers, for the
// worker taking it.
func CourseQuestions(c *ent.Course) []quiz.Question {
	out := make([]quiz.Question, len(c.Questions))
	for i, q := range c.Questions {
		out[i] = quiz.Question{Prompt: q.Prompt, Options: q.Options}
	}
	return out
}

// MyCourseCompletions are the worker's attempts, newest first.
func (m *Market) MyCourseCompletions(ctx context.Context, workerID string) ([]*ent.CourseCompletion, error) {
	return m.client(ctx).CourseCompletion.Query().Where(coursecompletion.WorkerID(workerID)).
		Order(ent.Desc(coursecompletion.FieldCreatedAt)).Limit(200).All(ctx)
}

// AcknowledgeSafetyBriefing records that the worker read the shift's
// occupational health and safety briefing: check-in waits for it where
// the shift has one. Acknowledging again changes nothing.
func (m *Market) AcknowledgeSafetyBriefing(ctx context.Context, assignmentID string) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		a, err := c.Assignment.Get(ctx, assignmentID)
		if ent.IsNotFound(err) {
			return NotFound("assignment")
		}
		if err != nil {
			return err
		}
		if a.WorkerID != v.WorkerID {
			return Forbidden("only the worker acknowledges their briefing")
		}
		if err := c.Assignment.Update().Where(assignment.ID(a.ID), assignment.BriefingAcknowledgedAtIsNil()).
			SetBriefingAcknowledgedAt(m.Now()).Exec(rule.System(ctx)); err != nil {
			return err
		}
		out = &Changed{Assignment: a}
		return out.reload(ctx, c)
	})
	return out, err
}

// checkBriefing refuses check-in to a hire whose shift has a safety
// briefing the worker has not acknowledged.
func checkBriefing(a *ent.Assignment, s *ent.Shift) error {
	if s.SafetyBriefing == "" || a.BriefingAcknowledgedAt != nil {
		return nil
	}
	return State(CodeBriefingNotAcknowledged, "read and acknowledge the shift's safety briefing before checking in")
}

// courseCache holds every course's screening facts in memory: few rows,
// read by every feed page, so screening costs no statement for them.
type courseCache struct {
	mu      sync.Mutex
	at      time.Time
	courses []*ent.Course
	// forgotten counts forget calls: a copy read before one is not kept.
	forgotten uint64
}

const courseCacheTTL = time.Minute

func (cc *courseCache) forget() {
	cc.mu.Lock()
	cc.courses = nil
	cc.forgotten++
	cc.mu.Unlock()
}

// allCourses returns every course, reloading the copy when it is a
// minute old (or the clock went back, as tests move it).
// The lock is not held while the courses are read: a reader waiting for a
// connection would hold up every request that needs them.
func (m *Market) allCourses(ctx context.Context) ([]*ent.Course, error) {
	cc := &m.courses
	cc.mu.Lock()
	if cc.courses != nil && m.Now().Sub(cc.at) < courseCacheTTL && !m.Now().Before(cc.at) {
		defer cc.mu.Unlock()
		return cc.courses, nil
	}
	forgotten := cc.forgotten
	cc.mu.Unlock()
	at := m.Now()
	db, keep := m.cacheFiller(ctx)
	all, err := db.Course.Query().Select(course.FieldEmployerID, course.FieldSkillID, course.FieldTitle).All(rule.System(ctx))
	if err != nil || !keep {
		return all, err
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.forgotten == forgotten {
		cc.courses, cc.at = all, at
	}
	return all, nil
}

// requiredCourses are the courses a shift asks a pass of: those it names,
// and those required for a skill it needs — the platform's, and its
// employer's.
func (m *Market) requiredCourses(ctx context.Context, s *ent.Shift) ([]CourseRef, error) {
	if len(s.RequiredCourseIds) == 0 && len(s.RequiredSkillIds) == 0 {
		return nil, nil
	}
	all, err := m.allCourses(ctx)
	if err != nil {
		return nil, err
	}
	named, skills := map[string]bool{}, map[string]bool{}
	for _, id := range s.RequiredCourseIds {
		named[id] = true
	}
	for _, id := range s.RequiredSkillIds {
		skills[id] = true
	}
	var out []CourseRef
	for _, c := range all {
		bySkill := c.SkillID != nil && skills[*c.SkillID] && (c.EmployerID == nil || *c.EmployerID == s.EmployerID)
		if named[c.ID] || bySkill {
			out = append(out, CourseRef{ID: c.ID, Title: c.Title})
		}
	}
	return out, nil
}

// CourseRef is a course a shift requires, as screening names it.
type CourseRef struct{ ID, Title string }

// checkCourses refuses a course a shift cannot name: one that does not
// exist, or another employer's.
func checkCourses(ctx context.Context, c *ent.Client, in CreateShiftInput) error {
	for i, id := range in.RequiredCourseIDs {
		k, err := c.Course.Get(rule.System(ctx), id)
		if ent.IsNotFound(err) || (err == nil && k.EmployerID != nil && *k.EmployerID != in.EmployerID) {
			return BadInput("requiredCourseIDs."+strconv.Itoa(i), "no such course of the platform or of this employer")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// CompletedCourse is the course a completion is of.
func (m *Market) CompletedCourse(ctx context.Context, cc *ent.CourseCompletion) (*ent.Course, error) {
	return m.client(ctx).Course.Get(ctx, cc.CourseID)
}

// ShiftRequiredCourses are the courses the shift asks a pass of.
func (m *Market) ShiftRequiredCourses(ctx context.Context, s *ent.Shift) ([]*ent.Course, error) {
	refs, err := m.requiredCourses(ctx, s)
	if err != nil || len(refs) == 0 {
		return []*ent.Course{}, err
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return m.client(ctx).Course.Query().Where(course.IDIn(ids...)).Order(ent.Asc(course.FieldTitle)).All(ctx)
}
