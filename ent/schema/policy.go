package schema

import (
	"entgo.io/ent"

	"flexwork/ent/privacy"
	"flexwork/ent/rule"
)

// policy assembles an entity's privacy policy. Reading: anonymous requests are
// refused, staff see everything, everyone else gets what the read rules allow.
// Writing: anonymous requests are refused, auditors may change only their
// own account, the write rules may allow, and anything they do not allow
// is denied.
func policy(read []privacy.QueryRule, write ...privacy.MutationRule) ent.Policy {
	q := privacy.QueryPolicy{rule.DenyIfAnonymous(), rule.AllowIfStaff()}
	q = append(q, read...)
	q = append(q, privacy.AlwaysDenyRule())
	m := privacy.MutationPolicy{rule.DenyIfAnonymous(), rule.DenyAuditorsMarketWrites()}
	m = append(m, write...)
	m = append(m, privacy.AlwaysDenyRule())
	return privacy.Policy{Query: q, Mutation: m}
}

// reads lists query rules.
func reads(rules ...privacy.QueryRule) []privacy.QueryRule { return rules }

// Policies, one per entity.

func (User) Policy() ent.Policy {
	// Any signed-in user sees another's public side (name); the GraphQL layer
	// shows email and phone only to the user. Accounts are created by sign-up
	// in the system context.
	return policy(reads(rule.AuditorSeesOwn(rule.User("id")), rule.AllowIfSignedIn()), rule.FilterToOwners(rule.User("id")))
}

func (Session) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.User("user_id"))), rule.FilterToOwners(rule.User("user_id")))
}

func (Skill) Policy() ent.Policy {
	// The taxonomy is public, even before sign-in; only staff change it.
	return privacy.Policy{
		Query:    privacy.QueryPolicy{privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{rule.DenyIfAnonymous(), rule.AllowIfStaff(), privacy.AlwaysDenyRule()},
	}
}

func (WorkerProfile) Policy() ent.Policy {
	return policy(reads(rule.AuditorSeesOwn(rule.Worker("id")), rule.AllowIfSignedIn()),
		rule.AllowCreateByOwner(rule.User("user_id")),
		rule.FilterToOwners(rule.Worker("id")))
}

func (WorkerSkill) Policy() ent.Policy {
	return policy(reads(rule.AuditorSeesOwn(rule.Worker("worker_id")), rule.AllowIfSignedIn()),
		rule.AllowCreateByOwner(rule.Worker("worker_id")),
		rule.FilterToOwners(rule.Worker("worker_id")))
}

func (Employer) Policy() ent.Policy {
	// Any signed-in user may found an employer (and becomes its owner).
	return policy(reads(rule.AllowIfSignedIn()),
		rule.AllowCreateByOwner(),
		rule.FilterToOwners(rule.Manager("id")))
}

func (Membership) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.User("user_id"), rule.Member("employer_id"))),
		rule.AllowCreateByOwner(rule.Manager("employer_id")),
		rule.FilterToOwners(rule.Manager("employer_id")))
}

func (RosterEntry) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.Member("employer_id"))),
		rule.AllowCreateByOwner(rule.Manager("employer_id")),
		rule.FilterToOwners(rule.Manager("employer_id")))
}

func (ShiftTemplate) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.Member("employer_id"))),
		rule.AllowCreateByOwner(rule.Manager("employer_id")),
		rule.FilterToOwners(rule.Manager("employer_id")))
}

func (Certification) Policy() ent.Policy {
	// Anyone signed in sees that a worker holds a certificate (skill, title,
	// status); the details and the document are market's to show.
	return policy(reads(rule.AuditorSeesOwn(rule.Worker("worker_id")), rule.AllowIfSignedIn()),
		rule.AllowIfStaff(),
		rule.AllowCreateByOwner(rule.Worker("worker_id")),
		rule.FilterToOwners(rule.Worker("worker_id")))
}

func (Shift) Policy() ent.Policy {
	return policy(reads(rule.FilterVisibleShifts()),
		rule.AllowCreateByOwner(rule.Manager("employer_id")),
		rule.FilterToOwners(rule.Manager("employer_id")))
}

// partiesRead shows a row to its worker and to the members of its employer.
func partiesRead() []privacy.QueryRule {
	return reads(rule.FilterToOwners(rule.Worker("worker_id"), rule.Member("employer_id")))
}

// threePartiesRead shows a hire to its worker, to the members of the using
// unit and to the members of the agency or contractor that employs the
// worker.
func threePartiesRead() []privacy.QueryRule {
	return reads(rule.FilterToOwners(rule.Worker("worker_id"), rule.Member("employer_id"), rule.Member("agency_id")))
}

// threePartiesWrite lets the agency's managers sign too; market decides
// which change each party may make.
func threePartiesWrite() privacy.MutationRule {
	return rule.FilterToOwners(rule.Worker("worker_id"), rule.Manager("employer_id"), rule.Manager("agency_id"))
}

// partiesWrite lets the worker and the employer's managers change a row; the
// transition functions in market decide which change each may make.
func partiesWrite() privacy.MutationRule {
	return rule.FilterToOwners(rule.Worker("worker_id"), rule.Manager("employer_id"))
}

func (Application) Policy() ent.Policy {
	return policy(partiesRead(), rule.AllowCreateByOwner(rule.Worker("worker_id")), partiesWrite())
}

func (Offer) Policy() ent.Policy {
	return policy(partiesRead(), rule.AllowCreateByOwner(rule.Manager("employer_id")), partiesWrite())
}

// Assignments, contracts and timesheets are created by the hire itself
// (acceptOffer, in the system context).

func (Assignment) Policy() ent.Policy { return policy(threePartiesRead(), partiesWrite()) }
func (Contract) Policy() ent.Policy   { return policy(threePartiesRead(), threePartiesWrite()) }
func (Timesheet) Policy() ent.Policy  { return policy(threePartiesRead(), threePartiesWrite()) }

func (Review) Policy() ent.Policy {
	return policy(reads(rule.AuditorSeesOwn(rule.User("author_id")), rule.FilterVisibleReviews()),
		rule.AllowCreateByOwner(rule.User("author_id")),
		rule.AllowIfStaff())
}

func (ReviewReport) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.User("reporter_id"))),
		rule.AllowCreateByOwner(rule.User("reporter_id")))
}

func (CreditEvent) Policy() ent.Policy {
	// Credit events are appended by market in the system context; their
	// subjects read them (creditReport widens this for the other side).
	return policy(reads(rule.FilterToOwners(rule.Worker("worker_id"), rule.Member("employer_id"))))
}

func (CreditDispute) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.User("opened_by_id"), rule.Worker("counterparty_worker_id"), rule.Member("counterparty_employer_id"))),
		rule.AllowIfStaff(),
		rule.AllowCreateByOwner(rule.User("opened_by_id")))
}

func (Device) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.User("user_id"))),
		rule.AllowCreateByOwner(rule.User("user_id")),
		rule.FilterToOwners(rule.User("user_id")))
}

func (Notification) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.User("user_id"))), rule.FilterToOwners(rule.User("user_id")))
}

func (StaffAction) Policy() ent.Policy {
	// Staff read it; market writes it in the system context, and no one
	// changes it.
	return policy(reads(rule.FilterToOwners()))
}

func (LedgerEntry) Policy() ent.Policy {
	// Staff only; the chain is appended in the system context.
	return policy(reads(rule.FilterToOwners()))
}

// The money ledger: staff read it; market and money write it in the
// system context, and show each party its own figures.

func (MoneyAccount) Policy() ent.Policy     { return policy(reads(rule.FilterToOwners())) }
func (MoneyTransaction) Policy() ent.Policy { return policy(reads(rule.FilterToOwners())) }
func (MoneyPosting) Policy() ent.Policy     { return policy(reads(rule.FilterToOwners())) }

// Payouts are the worker's own to read; only the system writes them.
func (Payout) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.Worker("worker_id"))))
}

// A real name is its person's and staff's to read; market writes it.
func (RealName) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.User("user_id"))))
}

// A cover is read by the worker, the using employer's and the paying
// organisation's members, and staff; market writes it.
func (InsuranceCover) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.Worker("worker_id"), rule.Member("employer_id"), rule.Member("payer_id"))))
}

// Payout batches are staff's; only the system writes them.
// Courses are public to anyone signed in; staff give the platform's,
// managers their employer's.
func (Course) Policy() ent.Policy {
	return policy(reads(rule.AllowIfSignedIn()), rule.AllowIfStaff(), rule.AllowCreateByOwner(rule.Manager("employer_id")))
}

// CourseCompletion: the worker's own; market records attempts.
func (CourseCompletion) Policy() ent.Policy {
	return policy(reads(rule.AuditorSeesOwn(rule.Worker("worker_id")), rule.FilterToOwners(rule.Worker("worker_id"))))
}

// RightsReport: auditors and staff; market writes it for them.
func (RightsReport) Policy() ent.Policy {
	return policy(reads(rule.AllowIfAuditor(), rule.FilterToOwners()))
}

func (PayoutBatch) Policy() ent.Policy { return policy(reads(rule.FilterToOwners())) }

func (IdempotencyKey) Policy() ent.Policy {
	return policy(reads(rule.FilterToOwners(rule.User("user_id"))),
		rule.AllowCreateByOwner(rule.User("user_id")))
}

func (SignupRequest) Policy() ent.Policy {
	// Sign-up runs in the system context; nobody reads these otherwise.
	return policy(reads(rule.FilterToOwners()))
}

func (PasswordReset) Policy() ent.Policy {
	// Resets run in the system context; nobody reads these otherwise.
	return policy(reads(rule.FilterToOwners()))
}

func (EmployerInvitation) Policy() ent.Policy {
	// The employer's members see its invitations; the invitee sees theirs
	// once the address is known to be theirs. Managers invite and revoke;
	// the invitee answers.
	return policy(reads(rule.FilterToOwners(rule.User("invitee_id"), rule.Member("employer_id"))),
		rule.AllowCreateByOwner(rule.Manager("employer_id")),
		rule.FilterToOwners(rule.User("invitee_id"), rule.Manager("employer_id")))
}

func (LedgerCheckpoint) Policy() ent.Policy {
	// Public through market (the checkpoint is published); written by the
	// checkpointer in the system context.
	return policy(reads(rule.FilterToOwners()))
}

func (LedgerNode) Policy() ent.Policy { return policy(reads(rule.FilterToOwners())) }
