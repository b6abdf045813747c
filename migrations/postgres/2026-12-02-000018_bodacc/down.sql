DROP TABLE bodacc_feed_runs;
DROP INDEX bodacc_case_links_case;
DROP TABLE bodacc_case_links;
DROP INDEX bodacc_announcements_siren;
DROP TABLE bodacc_announcements;
DELETE FROM tasks WHERE kind = 'bodacc_alert';
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('call', 'review', 'post_letter', 'message_failed', 'dispute_answered', 'formal_notice_expired', 'plan_decision', 'step_blocked', 'legal_deadline', 'claim_declaration', 'payment_after_opening'));
