DROP INDEX case_recovery_next_step;
