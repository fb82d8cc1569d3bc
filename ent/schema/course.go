package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"flexwork/ent/schema/quiz"
)

// Course is training or safety education a worker completes before some
// work: a title, its content or a link to it, a short quiz with a pass
// mark, and how long a pass stays valid. The platform's courses (no
// employer) may be required for every shift that needs a skill; an
// employer's, for its shifts that need the skill or name the course.
// Anyone signed in reads a course; the answers stay with market.
type Course struct{ ent.Schema }

func (Course) Mixin() []ent.Mixin { return []ent.Mixin{withID("crs"), timeMixin{}} }

func (Course) Fields() []ent.Field {
	return []ent.Field{
		field.String("employer_id").Optional().Nillable().Immutable().Annotations(asID, noWhere).
			Comment("The employer that gives it; null for the platform's own."),
		field.String("skill_id").Optional().Nillable().Immutable().Annotations(asID, noWhere).
			Comment("The skill it is required for: every shift needing the skill (of the employer, for an employer's course) needs a pass."),
		field.Enum("kind").Values("TRAINING", "SAFETY").Default("TRAINING").Immutable().
			Annotations(entgql.Type("CourseKind")).Comment("Training in the work, or occupational health and safety education."),
		field.String("title").NotEmpty().MaxLen(120).Immutable().Comment("What it is called."),
		field.Text("content").Default("").Immutable().Comment("What to learn, as text; or empty with a link."),
		field.String("link").Default("").MaxLen(500).Immutable().Comment("Where it is taught, when elsewhere (a video, a page)."),
		field.Int("pass_mark").Immutable().Comment("The share of right answers that passes, in percent."),
		field.Int("validity_days").Immutable().Comment("How many days a pass stays valid."),
		field.JSON("questions", []quiz.Question{}).Immutable().Annotations(hidden),
	}
}

func (Course) Indexes() []ent.Index { return []ent.Index{index.Fields("skill_id")} }

func (Course) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)}
}

// CourseCompletion is one attempt at a course's quiz by a worker: the
// score and whether it passed, and until when a pass is valid. Passes are
// evidence for screening (REQUIRED_COURSES). The worker reads their own;
// employers see the verdict in a candidate's screening.
type CourseCompletion struct{ ent.Schema }

func (CourseCompletion) Mixin() []ent.Mixin { return []ent.Mixin{withID("ccp"), createdMixin{}} }

func (CourseCompletion) Fields() []ent.Field {
	return []ent.Field{
		field.String("course_id").Immutable().Annotations(asID, noWhere).Comment("The course."),
		field.String("worker_id").Immutable().Annotations(asID, noWhere).Comment("The worker."),
		field.Int("score").Immutable().Comment("Right answers, in percent."),
		field.Bool("passed").Immutable().Comment("Whether the score reached the pass mark."),
		field.Time("expires_at").Optional().Nillable().Immutable().Comment("Until when a pass is valid; null when it failed."),
	}
}

func (CourseCompletion) Indexes() []ent.Index {
	return []ent.Index{index.Fields("worker_id", "course_id")}
}

func (CourseCompletion) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)}
}
