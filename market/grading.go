package market

// Grade is how sensitive a stored field is, and so how it is kept and
// shown.
type Grade int

// The grades, least sensitive first.
const (
	// Public: anyone signed in may read it (a shift's title, an
	// employer's name).
	Public Grade = iota
	// Internal: the platform's own bookkeeping (IDs, timestamps, states,
	// digests, money ledgers); shown to the parties it concerns.
	Internal
	// Personal: about a person, shown to them, the parties of their work
	// and staff (email, phone, legal name, bank account, reviews).
	Personal
	// Sensitive personal (个人敏感信息): identity numbers, precise
	// location, health. Shown whole to the owner alone, masked to staff,
	// never logged or exported in clear, sealed at rest where no rule has
	// to compute on it.
	Sensitive
)

func (g Grade) String() string { return [...]string{"PUBLIC", "INTERNAL", "PERSONAL", "SENSITIVE"}[g] }

// TableGrade grades a table's columns: its own grade for every column the
// exceptions do not name.
type TableGrade struct {
	Grade  Grade
	Except map[string]Grade
}

// Grades classifies every stored column, in one place:
// TestEveryColumnIsGraded fails when a table of the schema is missing here
// or an exception names a column that does not exist, and the log scan
// (TestTheLogsHoldNoSensitiveValue) reads the sensitive ones.
var Grades = map[string]TableGrade{
	"users": {Personal, map[string]Grade{"id": Internal, "created_at": Internal, "updated_at": Internal, "display_name": Public,
		"password_hash": Sensitive, "firebase_uid": Internal, "is_staff": Internal, "auditor_for": Internal, "disabled_at": Internal}},
	"worker_profiles": {Public, map[string]Grade{"home_lat": Sensitive, "home_lng": Sensitive, "travel_radius_km": Personal,
		"min_hourly_rate": Personal, "payout_account": Personal, "payout_bank": Personal, "payout_method": Personal,
		"availability": Personal, "user_id": Internal}},
	"real_names": {Personal, map[string]Grade{"id_number_sealed": Sensitive, "id_number_masked": Personal, "id_number_digest": Sensitive,
		"id": Internal, "created_at": Internal, "updated_at": Internal, "user_id": Internal, "status": Internal,
		"checked_by": Internal, "check_ref": Internal, "verified_at": Internal}},
	"assignments": {Internal, map[string]Grade{"check_in_lat": Sensitive, "check_in_lng": Sensitive, "check_out_lat": Sensitive,
		"check_out_lng": Sensitive, "cancel_reason": Personal}},
	"certifications": {Personal, map[string]Grade{"id": Internal, "created_at": Internal, "updated_at": Internal, "title": Public,
		"issuer": Public, "status": Public, "skill_id": Public, "worker_id": Internal, "credential_number": Sensitive,
		"object_key": Internal, "upload_key": Internal, "sha256": Internal, "reviewed_by_id": Internal}},
	"devices":                       {Internal, map[string]Grade{"token": Sensitive}},
	"sessions":                      {Internal, map[string]Grade{"token_hash": Sensitive, "user_agent": Personal}},
	"signup_requests":               {Personal, map[string]Grade{"password_hash": Sensitive, "code_hash": Sensitive, "id": Internal, "created_at": Internal, "attempts": Internal, "expires_at": Internal, "completed_at": Internal}},
	"password_resets":               {Internal, map[string]Grade{"email": Personal, "code_hash": Sensitive}},
	"employer_invitations":          {Internal, map[string]Grade{"email": Personal}},
	"idempotency_keys":              {Internal, map[string]Grade{"response": Personal}},
	"payouts":                       {Internal, map[string]Grade{"destination": Personal, "bank": Personal}},
	"payout_batches":                {Internal, nil},
	"insurance_covers":              {Personal, map[string]Grade{"id": Internal, "created_at": Internal, "updated_at": Internal, "assignment_id": Internal, "worker_id": Internal, "employer_id": Internal, "payer_id": Internal, "recorded_by": Internal, "status": Internal}},
	"notifications":                 {Personal, map[string]Grade{"id": Internal, "created_at": Internal, "subject_id": Internal, "read_at": Internal, "push_status": Internal, "pushed_at": Internal, "dedupe_key": Internal, "user_id": Internal, "category": Internal}},
	"timesheets":                    {Internal, map[string]Grade{"claim_note": Personal, "adjustment_reason": Personal, "dispute_reason": Personal, "correction_note": Personal, "escalation_note": Personal, "decision_note": Personal, "not_received_note": Personal}},
	"contracts":                     {Personal, map[string]Grade{"id": Internal, "created_at": Internal, "updated_at": Internal, "sha256": Internal}},
	"credit_disputes":               {Personal, nil},
	"credit_events":                 {Internal, nil},
	"reviews":                       {Personal, nil},
	"review_reports":                {Personal, nil},
	"applications":                  {Internal, nil},
	"offers":                        {Internal, nil},
	"roster_entries":                {Internal, nil},
	"memberships":                   {Internal, nil},
	"employers":                     {Public, map[string]Grade{"funding_terms": Internal, "credit_limit": Internal}},
	"shifts":                        {Public, nil},
	"shift_templates":               {Internal, nil},
	"shift_required_skills":         {Public, nil},
	"shift_required_certifications": {Public, nil},
	"skills":                        {Public, nil},
	"worker_skills":                 {Public, nil},
	"staff_actions":                 {Internal, map[string]Grade{"note": Personal}},
	"rights_reports":                {Internal, nil},                                   // aggregates of organisations, no person in them
	"courses":                       {Public, map[string]Grade{"questions": Internal}}, // the answers stay with market
	"course_completions":            {Personal, nil},
	"ledger_entries":                {Internal, nil},
	"ledger_nodes":                  {Internal, nil},
	"ledger_checkpoints":            {Internal, nil},
	"money_accounts":                {Internal, nil},
	"money_transactions":            {Internal, nil},
	"money_postings":                {Internal, nil},
}

// GradeOf is the grade of a stored column.
func GradeOf(table, column string) Grade {
	t := Grades[table]
	if g, ok := t.Except[column]; ok {
		return g
	}
	return t.Grade
}
