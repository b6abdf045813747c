-- Issue 18. The incidents of a debtor's life recorded on a case: a collective proceeding
-- (C. com. L622-21, L631-14, L641-3), an over-indebtedness file declared admissible
-- (C. conso. L722-2), a death (C. civ. 771-772), a dissolution, merger or striking-off.
-- While one is in force the case's demands, playbook steps and legal steps stop; the
-- claim declaration (R622-24) is tracked on the incident of each case (each creditor
-- declares its own claim).
CREATE TABLE debtor_incidents (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    published_on DATE,
    court TEXT,
    reference TEXT,
    representative TEXT,
    creditor_abroad BOOLEAN NOT NULL DEFAULT FALSE,
    long_term_loan BOOLEAN NOT NULL DEFAULT FALSE,
    declared_on DATE,
    ended_on DATE,
    end_kind TEXT,
    end_note TEXT,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX debtor_incidents_case ON debtor_incidents (case_id, occurred_on);

-- Two new kinds of task: the claim's declaration (R622-24) and a payment received after an
-- opening judgment (L622-7).
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('call', 'review', 'post_letter', 'message_failed', 'dispute_answered', 'formal_notice_expired', 'plan_decision', 'step_blocked', 'legal_deadline', 'claim_declaration', 'payment_after_opening'));

-- A rétablissement personnel closes the case with the outcome "debt erased" (C. conso.
-- L741-2). On SQLite, `db::widen_sqlite_case_outcomes` widens the same CHECK after the
-- migrations (a CHECK cannot be altered there).
ALTER TABLE cases DROP CONSTRAINT cases_outcome_check;
ALTER TABLE cases ADD CONSTRAINT cases_outcome_check CHECK (outcome IN ('paid', 'settled',
    'unrecoverable', 'withdrawn', 'prescribed', 'rejected', 'handed_over', 'debt_erased'));
