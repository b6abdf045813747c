DROP INDEX card_payments_payout;
ALTER TABLE card_payments DROP COLUMN card_payout_id;
DROP TABLE card_payouts;
