-- Issue 14. Conservatory measures and enforcement acts (CPCE L511-1, L111-2), which interrupt
-- prescription and the ten years of enforcement (C. civ. 2244); the latest enforcement act
-- is kept on the proceeding, updated in the same transaction, for the deadline of L111-4.
CREATE TABLE enforcement_measures (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    measure_on DATE NOT NULL,
    officer TEXT NOT NULL,
    reference TEXT,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX enforcement_measures_case ON enforcement_measures (case_id, measure_on);

ALTER TABLE legal_proceedings ADD COLUMN last_enforcement_act_on DATE;
