-- An initiative's milestones: done on a day, or still to do. With milestones, an initiative's
-- progress is the share of them done.
CREATE TABLE initiative_milestones (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_on TEXT,
    done_on TEXT
);
CREATE INDEX initiative_milestones_by_initiative ON initiative_milestones (initiative_id);
