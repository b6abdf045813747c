DROP INDEX refresh_tokens_live;
DROP TABLE login_attempts;
