-- Modify "certifications" table
ALTER TABLE "certifications" ADD COLUMN "upload_key" character varying NULL;
-- Create index "certification_object_key" to table: "certifications"
CREATE INDEX "certification_object_key" ON "certifications" ("object_key");
-- Create index "certification_upload_key" to table: "certifications"
CREATE INDEX "certification_upload_key" ON "certifications" ("upload_key");
