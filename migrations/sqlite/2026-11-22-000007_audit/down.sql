DROP TABLE security_log_head;
DROP TABLE security_events;
DROP TABLE case_event_heads;
