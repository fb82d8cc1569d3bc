-- Create index "application_worker_id_shift_id" to table: "applications"
CREATE INDEX "application_worker_id_shift_id" ON "applications" ("worker_id", "shift_id") INCLUDE ("id");
-- Create index "assignment_ends_at" to table: "assignments"
CREATE INDEX "assignment_ends_at" ON "assignments" ("ends_at") WHERE ((check_in_lat IS NOT NULL) OR (check_out_lat IS NOT NULL));
-- Create index "review_assignment_id" to table: "reviews"
CREATE INDEX "review_assignment_id" ON "reviews" ("assignment_id") WHERE (revealed_at IS NULL);
