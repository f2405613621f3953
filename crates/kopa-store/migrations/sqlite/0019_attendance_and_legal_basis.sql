-- A deciding body's attendance (its seats and the members present), and the legal basis a
-- decision cites. Both stay empty until recorded.
ALTER TABLE meetings ADD COLUMN seats INTEGER;
ALTER TABLE meetings ADD COLUMN present INTEGER;
ALTER TABLE decisions ADD COLUMN legal_reference TEXT;
