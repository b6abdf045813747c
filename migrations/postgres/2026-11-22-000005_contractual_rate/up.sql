-- A contractual late-payment rate agreed between professionals, in hundredths of a percent
-- (1500 = 15.00 %); raised to three times the legal rate when below it (C. com. L441-10 II).
ALTER TABLE cases ADD COLUMN contractual_rate_bps INTEGER CHECK (contractual_rate_bps > 0 AND contractual_rate_bps <= 10000);
