-- Photos of ideas, re-encoded on upload (which also drops their metadata), with thumbnails.
CREATE TABLE idea_photos (
    id INTEGER PRIMARY KEY,
    idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    description TEXT,
    content_type TEXT NOT NULL,
    image BLOB NOT NULL,
    thumbnail BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX idea_photos_by_idea ON idea_photos (idea_id);
