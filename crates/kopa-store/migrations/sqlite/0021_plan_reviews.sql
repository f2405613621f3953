-- A city's request for a review of one plan version, and the reviewers' comments with the
-- city's answers. A comment made outside a review has no review, state or answer.
CREATE TABLE plan_reviews (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES plan_versions(id) ON DELETE CASCADE,
    due_on TEXT NOT NULL,
    note TEXT,
    requested_by INTEGER NOT NULL REFERENCES users(id),
    requested_at TEXT NOT NULL
);
CREATE INDEX plan_reviews_by_workspace ON plan_reviews (workspace_id);
ALTER TABLE plan_comments ADD COLUMN review_id INTEGER REFERENCES plan_reviews(id) ON DELETE CASCADE;
ALTER TABLE plan_comments ADD COLUMN state TEXT;
ALTER TABLE plan_comments ADD COLUMN answer TEXT;
ALTER TABLE plan_comments ADD COLUMN answered_by INTEGER REFERENCES users(id);
ALTER TABLE plan_comments ADD COLUMN answered_at TEXT;
CREATE INDEX plan_comments_by_review ON plan_comments (review_id);
