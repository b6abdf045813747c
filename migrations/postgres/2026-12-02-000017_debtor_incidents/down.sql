UPDATE cases SET outcome = 'unrecoverable' WHERE outcome = 'debt_erased';
ALTER TABLE cases DROP CONSTRAINT cases_outcome_check;
ALTER TABLE cases ADD CONSTRAINT cases_outcome_check CHECK (outcome IN ('paid', 'settled',
    'unrecoverable', 'withdrawn', 'prescribed', 'rejected', 'handed_over'));
DELETE FROM tasks WHERE kind IN ('claim_declaration', 'payment_after_opening');
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('call', 'review', 'post_letter', 'message_failed', 'dispute_answered', 'formal_notice_expired', 'plan_decision', 'step_blocked', 'legal_deadline'));
DROP INDEX debtor_incidents_case;
DROP TABLE debtor_incidents;
