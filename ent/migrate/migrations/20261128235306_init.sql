-- Create "ledger_entries" table
CREATE TABLE "ledger_entries" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "seq" bigint NOT NULL, "kind" character varying NOT NULL, "subject_id" character varying NOT NULL, "actor_id" character varying NOT NULL DEFAULT '', "payload" text NOT NULL, "prev_hash" character varying NOT NULL, "hash" character varying NOT NULL, PRIMARY KEY ("id"));
-- Create index "ledger_entries_seq_key" to table: "ledger_entries"
CREATE UNIQUE INDEX "ledger_entries_seq_key" ON "ledger_entries" ("seq");
-- Create index "ledgerentry_subject_id" to table: "ledger_entries"
CREATE INDEX "ledgerentry_subject_id" ON "ledger_entries" ("subject_id");
-- Create "employers" table
CREATE TABLE "employers" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "description" character varying NOT NULL DEFAULT '', "website" character varying NOT NULL DEFAULT '', "address" character varying NOT NULL DEFAULT '', "lat" double precision NULL, "lng" double precision NULL, "credit_score" bigint NOT NULL DEFAULT 500, "credit_provisional" boolean NOT NULL DEFAULT true, "rating_avg" double precision NOT NULL DEFAULT 0, "rating_count" bigint NOT NULL DEFAULT 0, "paid_on_time" bigint NOT NULL DEFAULT 0, "paid_late" bigint NOT NULL DEFAULT 0, PRIMARY KEY ("id"));
-- Create "idempotency_keys" table
CREATE TABLE "idempotency_keys" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "user_id" character varying NOT NULL, "key" character varying NOT NULL, "operation" character varying NOT NULL, "request_hash" character varying NOT NULL, "response" bytea NOT NULL, PRIMARY KEY ("id"));
-- Create index "idempotencykey_created_at" to table: "idempotency_keys"
CREATE INDEX "idempotencykey_created_at" ON "idempotency_keys" ("created_at");
-- Create index "idempotencykey_user_id_key" to table: "idempotency_keys"
CREATE UNIQUE INDEX "idempotencykey_user_id_key" ON "idempotency_keys" ("user_id", "key");
-- Create "shifts" table
CREATE TABLE "shifts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "created_by_id" character varying NOT NULL, "title" character varying NOT NULL, "description" character varying NOT NULL DEFAULT '', "engagement_type" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'DRAFT', "address" character varying NOT NULL, "lat" double precision NOT NULL, "lng" double precision NOT NULL, "geofence_radius_m" bigint NOT NULL DEFAULT 200, "starts_at" timestamptz NOT NULL, "ends_at" timestamptz NOT NULL, "time_zone" character varying NOT NULL, "unpaid_break_minutes" bigint NOT NULL DEFAULT 0, "pay_rate" bigint NOT NULL, "currency" character varying NOT NULL, "pay_unit" character varying NOT NULL, "slots" bigint NOT NULL, "filled" bigint NOT NULL DEFAULT 0, "min_credit_score" bigint NULL, "max_distance_km" bigint NULL, "newcomers_allowed" boolean NOT NULL DEFAULT true, "nda" boolean NOT NULL DEFAULT false, "published_at" timestamptz NULL, "cancelled_at" timestamptz NULL, "cancel_reason" character varying NOT NULL DEFAULT '', "employer_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "shifts_employers_shifts" FOREIGN KEY ("employer_id") REFERENCES "employers" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "shift_employer_id_starts_at" to table: "shifts"
CREATE INDEX "shift_employer_id_starts_at" ON "shifts" ("employer_id", "starts_at");
-- Create index "shift_lat_lng" to table: "shifts"
CREATE INDEX "shift_lat_lng" ON "shifts" ("lat", "lng");
-- Create index "shift_status_starts_at" to table: "shifts"
CREATE INDEX "shift_status_starts_at" ON "shifts" ("status", "starts_at");
-- Create "users" table
CREATE TABLE "users" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "email" character varying NULL, "phone" character varying NULL, "display_name" character varying NOT NULL, "password_hash" character varying NULL, "firebase_uid" character varying NULL, "is_staff" boolean NOT NULL DEFAULT false, "time_zone" character varying NOT NULL DEFAULT 'UTC', "locale" character varying NOT NULL DEFAULT 'en', "quiet_hours_start" bigint NULL, "quiet_hours_end" bigint NULL, "push_opt_outs" jsonb NULL, "daily_shift_push_cap" bigint NOT NULL DEFAULT 10, "disabled_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "user_phone" to table: "users"
CREATE INDEX "user_phone" ON "users" ("phone");
-- Create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");
-- Create index "users_firebase_uid_key" to table: "users"
CREATE UNIQUE INDEX "users_firebase_uid_key" ON "users" ("firebase_uid");
-- Create "worker_profiles" table
CREATE TABLE "worker_profiles" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "headline" character varying NOT NULL DEFAULT '', "bio" character varying NOT NULL DEFAULT '', "home_lat" double precision NULL, "home_lng" double precision NULL, "travel_radius_km" bigint NOT NULL DEFAULT 15, "min_hourly_rate" bigint NULL, "currency" character varying NOT NULL DEFAULT 'EUR', "engagement_types" jsonb NULL, "credit_score" bigint NOT NULL DEFAULT 500, "credit_provisional" boolean NOT NULL DEFAULT true, "rating_avg" double precision NOT NULL DEFAULT 0, "rating_count" bigint NOT NULL DEFAULT 0, "completed_shifts" bigint NOT NULL DEFAULT 0, "no_shows" bigint NOT NULL DEFAULT 0, "user_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "worker_profiles_users_worker_profile" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "worker_profiles_user_id_key" to table: "worker_profiles"
CREATE UNIQUE INDEX "worker_profiles_user_id_key" ON "worker_profiles" ("user_id");
-- Create "applications" table
CREATE TABLE "applications" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "employer_id" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'APPLIED', "message" character varying NOT NULL DEFAULT '', "reject_reason" character varying NOT NULL DEFAULT '', "distance_km" double precision NULL, "shift_id" character varying NOT NULL, "worker_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "applications_shifts_applications" FOREIGN KEY ("shift_id") REFERENCES "shifts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "applications_worker_profiles_applications" FOREIGN KEY ("worker_id") REFERENCES "worker_profiles" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "application_employer_id_status" to table: "applications"
CREATE INDEX "application_employer_id_status" ON "applications" ("employer_id", "status");
-- Create index "application_shift_id_worker_id" to table: "applications"
CREATE UNIQUE INDEX "application_shift_id_worker_id" ON "applications" ("shift_id", "worker_id");
-- Create index "application_worker_id_status" to table: "applications"
CREATE INDEX "application_worker_id_status" ON "applications" ("worker_id", "status");
-- Create "offers" table
CREATE TABLE "offers" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "employer_id" character varying NOT NULL, "sent_by_id" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'PENDING', "message" character varying NOT NULL DEFAULT '', "expires_at" timestamptz NOT NULL, "responded_at" timestamptz NULL, "expiry_warned_at" timestamptz NULL, "application_id" character varying NULL, "shift_id" character varying NOT NULL, "worker_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "offers_applications_application" FOREIGN KEY ("application_id") REFERENCES "applications" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "offers_shifts_offers" FOREIGN KEY ("shift_id") REFERENCES "shifts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "offers_worker_profiles_offers" FOREIGN KEY ("worker_id") REFERENCES "worker_profiles" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "offer_shift_id_status" to table: "offers"
CREATE INDEX "offer_shift_id_status" ON "offers" ("shift_id", "status");
-- Create index "offer_status_expires_at" to table: "offers"
CREATE INDEX "offer_status_expires_at" ON "offers" ("status", "expires_at");
-- Create index "offer_worker_id_status" to table: "offers"
CREATE INDEX "offer_worker_id_status" ON "offers" ("worker_id", "status");
-- Create "assignments" table
CREATE TABLE "assignments" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "employer_id" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'SCHEDULED', "starts_at" timestamptz NOT NULL, "ends_at" timestamptz NOT NULL, "checked_in_at" timestamptz NULL, "check_in_lat" double precision NULL, "check_in_lng" double precision NULL, "checked_out_at" timestamptz NULL, "check_out_lat" double precision NULL, "check_out_lng" double precision NULL, "cancelled_at" timestamptz NULL, "cancel_reason" character varying NOT NULL DEFAULT '', "late_cancellation" boolean NOT NULL DEFAULT false, "reminded_at" timestamptz NULL, "offer_id" character varying NULL, "shift_id" character varying NOT NULL, "worker_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "assignments_offers_assignment" FOREIGN KEY ("offer_id") REFERENCES "offers" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "assignments_shifts_assignments" FOREIGN KEY ("shift_id") REFERENCES "shifts" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "assignments_worker_profiles_assignments" FOREIGN KEY ("worker_id") REFERENCES "worker_profiles" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "assignment_employer_id_status" to table: "assignments"
CREATE INDEX "assignment_employer_id_status" ON "assignments" ("employer_id", "status");
-- Create index "assignment_shift_id_status" to table: "assignments"
CREATE INDEX "assignment_shift_id_status" ON "assignments" ("shift_id", "status");
-- Create index "assignment_worker_id_starts_at_ends_at" to table: "assignments"
CREATE INDEX "assignment_worker_id_starts_at_ends_at" ON "assignments" ("worker_id", "starts_at", "ends_at");
-- Create index "assignments_offer_id_key" to table: "assignments"
CREATE UNIQUE INDEX "assignments_offer_id_key" ON "assignments" ("offer_id");
-- Create "skills" table
CREATE TABLE "skills" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "slug" character varying NOT NULL, "name" character varying NOT NULL, "category" character varying NOT NULL, "certificate_required" boolean NOT NULL DEFAULT false, PRIMARY KEY ("id"));
-- Create index "skills_slug_key" to table: "skills"
CREATE UNIQUE INDEX "skills_slug_key" ON "skills" ("slug");
-- Create "certifications" table
CREATE TABLE "certifications" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "title" character varying NOT NULL, "issuer" character varying NOT NULL DEFAULT '', "credential_number" character varying NOT NULL DEFAULT '', "issued_on" timestamptz NULL, "expires_on" timestamptz NULL, "status" character varying NOT NULL DEFAULT 'AWAITING_UPLOAD', "object_key" character varying NOT NULL, "file_name" character varying NOT NULL DEFAULT '', "content_type" character varying NOT NULL DEFAULT '', "byte_size" bigint NOT NULL DEFAULT 0, "sha256" character varying NOT NULL DEFAULT '', "uploaded_at" timestamptz NULL, "reviewed_by_id" character varying NULL, "reviewed_at" timestamptz NULL, "review_reason" character varying NOT NULL DEFAULT '', "expiry_warned_at" timestamptz NULL, "skill_id" character varying NOT NULL, "worker_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "certifications_skills_skill" FOREIGN KEY ("skill_id") REFERENCES "skills" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "certifications_worker_profiles_certifications" FOREIGN KEY ("worker_id") REFERENCES "worker_profiles" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "certification_status_created_at" to table: "certifications"
CREATE INDEX "certification_status_created_at" ON "certifications" ("status", "created_at");
-- Create index "certification_status_expires_on" to table: "certifications"
CREATE INDEX "certification_status_expires_on" ON "certifications" ("status", "expires_on");
-- Create index "certification_worker_id_status" to table: "certifications"
CREATE INDEX "certification_worker_id_status" ON "certifications" ("worker_id", "status");
-- Create "contracts" table
CREATE TABLE "contracts" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "worker_id" character varying NOT NULL, "employer_id" character varying NOT NULL, "template_version" character varying NOT NULL, "body" text NOT NULL, "sha256" character varying NOT NULL, "worker_signed_at" timestamptz NULL, "employer_signed_at" timestamptz NULL, "employer_signed_by_id" character varying NULL, "assignment_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "contracts_assignments_contract" FOREIGN KEY ("assignment_id") REFERENCES "assignments" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "contracts_assignment_id_key" to table: "contracts"
CREATE UNIQUE INDEX "contracts_assignment_id_key" ON "contracts" ("assignment_id");
-- Create "credit_events" table
CREATE TABLE "credit_events" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "subject_kind" character varying NOT NULL, "kind" character varying NOT NULL, "rating" bigint NULL, "source_id" character varying NOT NULL DEFAULT '', "reverses_id" character varying NULL, "note" character varying NOT NULL DEFAULT '', "occurred_at" timestamptz NOT NULL, "ledger_seq" bigint NULL, "employer_id" character varying NULL, "worker_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "credit_events_employers_credit_events" FOREIGN KEY ("employer_id") REFERENCES "employers" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "credit_events_worker_profiles_credit_events" FOREIGN KEY ("worker_id") REFERENCES "worker_profiles" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- Create index "creditevent_employer_id_occurred_at" to table: "credit_events"
CREATE INDEX "creditevent_employer_id_occurred_at" ON "credit_events" ("employer_id", "occurred_at");
-- Create index "creditevent_worker_id_occurred_at" to table: "credit_events"
CREATE INDEX "creditevent_worker_id_occurred_at" ON "credit_events" ("worker_id", "occurred_at");
-- Create "credit_disputes" table
CREATE TABLE "credit_disputes" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "opened_by_id" character varying NOT NULL, "reason" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'OPEN', "resolution_note" character varying NOT NULL DEFAULT '', "resolved_by_id" character varying NULL, "resolved_at" timestamptz NULL, "event_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "credit_disputes_credit_events_dispute" FOREIGN KEY ("event_id") REFERENCES "credit_events" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "credit_disputes_event_id_key" to table: "credit_disputes"
CREATE UNIQUE INDEX "credit_disputes_event_id_key" ON "credit_disputes" ("event_id");
-- Create index "creditdispute_status_created_at" to table: "credit_disputes"
CREATE INDEX "creditdispute_status_created_at" ON "credit_disputes" ("status", "created_at");
-- Create "devices" table
CREATE TABLE "devices" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "token" character varying NOT NULL, "platform" character varying NOT NULL, "app_version" character varying NOT NULL DEFAULT '', "last_seen_at" timestamptz NOT NULL, "disabled_at" timestamptz NULL, "disabled_reason" character varying NOT NULL DEFAULT '', "user_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "devices_users_devices" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "device_user_id_disabled_at" to table: "devices"
CREATE INDEX "device_user_id_disabled_at" ON "devices" ("user_id", "disabled_at");
-- Create index "devices_token_key" to table: "devices"
CREATE UNIQUE INDEX "devices_token_key" ON "devices" ("token");
-- Create "memberships" table
CREATE TABLE "memberships" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "role" character varying NOT NULL, "employer_id" character varying NOT NULL, "user_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "memberships_employers_memberships" FOREIGN KEY ("employer_id") REFERENCES "employers" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "memberships_users_memberships" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "membership_employer_id_user_id" to table: "memberships"
CREATE UNIQUE INDEX "membership_employer_id_user_id" ON "memberships" ("employer_id", "user_id");
-- Create index "membership_user_id" to table: "memberships"
CREATE INDEX "membership_user_id" ON "memberships" ("user_id");
-- Create "notifications" table
CREATE TABLE "notifications" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "category" character varying NOT NULL, "title" character varying NOT NULL, "body" character varying NOT NULL DEFAULT '', "subject_id" character varying NOT NULL DEFAULT '', "read_at" timestamptz NULL, "push_status" character varying NOT NULL DEFAULT 'PENDING', "pushed_at" timestamptz NULL, "dedupe_key" character varying NULL, "user_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "notifications_users_notifications" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "notification_user_id_created_at" to table: "notifications"
CREATE INDEX "notification_user_id_created_at" ON "notifications" ("user_id", "created_at");
-- Create index "notification_user_id_read_at" to table: "notifications"
CREATE INDEX "notification_user_id_read_at" ON "notifications" ("user_id", "read_at");
-- Create index "notifications_dedupe_key_key" to table: "notifications"
CREATE UNIQUE INDEX "notifications_dedupe_key_key" ON "notifications" ("dedupe_key");
-- Create "reviews" table
CREATE TABLE "reviews" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "author_id" character varying NOT NULL, "direction" character varying NOT NULL, "worker_id" character varying NOT NULL, "employer_id" character varying NOT NULL, "rating" bigint NOT NULL, "tags" jsonb NULL, "comment" character varying NOT NULL DEFAULT '', "revealed_at" timestamptz NULL, "reply" character varying NOT NULL DEFAULT '', "replied_at" timestamptz NULL, "hidden_at" timestamptz NULL, "hidden_reason" character varying NOT NULL DEFAULT '', "assignment_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "reviews_assignments_reviews" FOREIGN KEY ("assignment_id") REFERENCES "assignments" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "review_assignment_id_direction" to table: "reviews"
CREATE UNIQUE INDEX "review_assignment_id_direction" ON "reviews" ("assignment_id", "direction");
-- Create index "review_employer_id_direction_revealed_at" to table: "reviews"
CREATE INDEX "review_employer_id_direction_revealed_at" ON "reviews" ("employer_id", "direction", "revealed_at");
-- Create index "review_worker_id_direction_revealed_at" to table: "reviews"
CREATE INDEX "review_worker_id_direction_revealed_at" ON "reviews" ("worker_id", "direction", "revealed_at");
-- Create "review_reports" table
CREATE TABLE "review_reports" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "reporter_id" character varying NOT NULL, "reason" character varying NOT NULL, "review_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "review_reports_reviews_reports" FOREIGN KEY ("review_id") REFERENCES "reviews" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "reviewreport_review_id_reporter_id" to table: "review_reports"
CREATE UNIQUE INDEX "reviewreport_review_id_reporter_id" ON "review_reports" ("review_id", "reporter_id");
-- Create "roster_entries" table
CREATE TABLE "roster_entries" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "kind" character varying NOT NULL, "note" character varying NOT NULL DEFAULT '', "added_by_id" character varying NULL, "employer_id" character varying NOT NULL, "worker_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "roster_entries_employers_roster" FOREIGN KEY ("employer_id") REFERENCES "employers" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "roster_entries_worker_profiles_roster_entries" FOREIGN KEY ("worker_id") REFERENCES "worker_profiles" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "rosterentry_employer_id_worker_id" to table: "roster_entries"
CREATE UNIQUE INDEX "rosterentry_employer_id_worker_id" ON "roster_entries" ("employer_id", "worker_id");
-- Create index "rosterentry_worker_id" to table: "roster_entries"
CREATE INDEX "rosterentry_worker_id" ON "roster_entries" ("worker_id");
-- Create "sessions" table
CREATE TABLE "sessions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "token_hash" character varying NOT NULL, "family" character varying NOT NULL, "expires_at" timestamptz NOT NULL, "used_at" timestamptz NULL, "revoked_at" timestamptz NULL, "user_agent" character varying NULL, "user_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "sessions_users_sessions" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "session_family" to table: "sessions"
CREATE INDEX "session_family" ON "sessions" ("family");
-- Create index "session_user_id" to table: "sessions"
CREATE INDEX "session_user_id" ON "sessions" ("user_id");
-- Create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions" ("token_hash");
-- Create "shift_required_certifications" table
CREATE TABLE "shift_required_certifications" ("shift_id" character varying NOT NULL, "skill_id" character varying NOT NULL, PRIMARY KEY ("shift_id", "skill_id"), CONSTRAINT "shift_required_certifications_shift_id" FOREIGN KEY ("shift_id") REFERENCES "shifts" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "shift_required_certifications_skill_id" FOREIGN KEY ("skill_id") REFERENCES "skills" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create "shift_required_skills" table
CREATE TABLE "shift_required_skills" ("shift_id" character varying NOT NULL, "skill_id" character varying NOT NULL, PRIMARY KEY ("shift_id", "skill_id"), CONSTRAINT "shift_required_skills_shift_id" FOREIGN KEY ("shift_id") REFERENCES "shifts" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "shift_required_skills_skill_id" FOREIGN KEY ("skill_id") REFERENCES "skills" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create "timesheets" table
CREATE TABLE "timesheets" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "worker_id" character varying NOT NULL, "employer_id" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'SUBMITTED', "worked_minutes" bigint NOT NULL, "approved_minutes" bigint NULL, "adjustment_reason" character varying NOT NULL DEFAULT '', "submitted_at" timestamptz NOT NULL, "approved_at" timestamptz NULL, "approved_by_id" character varying NULL, "auto_approved" boolean NOT NULL DEFAULT false, "disputed_at" timestamptz NULL, "dispute_reason" character varying NOT NULL DEFAULT '', "amount_owed" bigint NULL, "currency" character varying NOT NULL, "payment_due_at" timestamptz NULL, "payment_status" character varying NOT NULL DEFAULT 'NOT_DUE', "payment_reference" character varying NOT NULL DEFAULT '', "paid_at" timestamptz NULL, "payment_confirmed_at" timestamptz NULL, "assignment_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "timesheets_assignments_timesheet" FOREIGN KEY ("assignment_id") REFERENCES "assignments" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "timesheet_employer_id_status" to table: "timesheets"
CREATE INDEX "timesheet_employer_id_status" ON "timesheets" ("employer_id", "status");
-- Create index "timesheet_payment_status_payment_due_at" to table: "timesheets"
CREATE INDEX "timesheet_payment_status_payment_due_at" ON "timesheets" ("payment_status", "payment_due_at");
-- Create index "timesheet_status_submitted_at" to table: "timesheets"
CREATE INDEX "timesheet_status_submitted_at" ON "timesheets" ("status", "submitted_at");
-- Create index "timesheets_assignment_id_key" to table: "timesheets"
CREATE UNIQUE INDEX "timesheets_assignment_id_key" ON "timesheets" ("assignment_id");
-- Create "worker_skills" table
CREATE TABLE "worker_skills" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "years" bigint NOT NULL DEFAULT 0, "worker_id" character varying NOT NULL, "skill_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "worker_skills_skills_skill" FOREIGN KEY ("skill_id") REFERENCES "skills" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "worker_skills_worker_profiles_worker" FOREIGN KEY ("worker_id") REFERENCES "worker_profiles" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "workerskill_skill_id" to table: "worker_skills"
CREATE INDEX "workerskill_skill_id" ON "worker_skills" ("skill_id");
-- Create index "workerskill_worker_id_skill_id" to table: "worker_skills"
CREATE UNIQUE INDEX "workerskill_worker_id_skill_id" ON "worker_skills" ("worker_id", "skill_id");
