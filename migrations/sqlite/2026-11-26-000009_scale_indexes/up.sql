-- The scheduler's scan reads only the cases that can still have a playbook step to run
-- (next step at most the longest playbook's length): most cases in amicable recovery are past
-- their playbook (bench/RESULTS.md).
CREATE INDEX case_recovery_next_step ON case_recovery (next_step, case_id);
