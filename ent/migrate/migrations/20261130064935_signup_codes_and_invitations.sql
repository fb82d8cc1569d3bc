-- Create "signup_requests" table
CREATE TABLE "signup_requests" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "email" character varying NOT NULL, "display_name" character varying NOT NULL, "phone" character varying NULL, "password_hash" character varying NOT NULL, "code_hash" character varying NOT NULL, "attempts" bigint NOT NULL DEFAULT 0, "expires_at" timestamptz NOT NULL, "completed_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "signuprequest_email_created_at" to table: "signup_requests"
CREATE INDEX "signuprequest_email_created_at" ON "signup_requests" ("email", "created_at");
-- Create index "signuprequest_expires_at" to table: "signup_requests"
CREATE INDEX "signuprequest_expires_at" ON "signup_requests" ("expires_at");
-- Create "employer_invitations" table
CREATE TABLE "employer_invitations" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "email" character varying NOT NULL, "role" character varying NOT NULL, "status" character varying NOT NULL DEFAULT 'PENDING', "invitee_id" character varying NULL, "expires_at" timestamptz NOT NULL, "responded_at" timestamptz NULL, "employer_id" character varying NOT NULL, "invited_by_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "employer_invitations_employers_invitations" FOREIGN KEY ("employer_id") REFERENCES "employers" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "employer_invitations_users_invited_by" FOREIGN KEY ("invited_by_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "employerinvitation_email_status" to table: "employer_invitations"
CREATE INDEX "employerinvitation_email_status" ON "employer_invitations" ("email", "status");
-- Create index "employerinvitation_employer_id_status" to table: "employer_invitations"
CREATE INDEX "employerinvitation_employer_id_status" ON "employer_invitations" ("employer_id", "status");
-- Create index "employerinvitation_invitee_id_status" to table: "employer_invitations"
CREATE INDEX "employerinvitation_invitee_id_status" ON "employer_invitations" ("invitee_id", "status");
