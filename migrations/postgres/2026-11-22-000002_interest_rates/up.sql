-- Interest rates by half-year, in basis points (2.15 % = 215): the ECB main refinancing rate
-- in force on 1 January / 1 July (C. com. L441-10 II) and the two legal rates
-- (C. mon. fin. L313-2). Seeded from LEGAL.md; an admin adds each new half-year.
CREATE TABLE interest_rates (
    id BIGSERIAL PRIMARY KEY,
    year INTEGER NOT NULL,
    half TEXT NOT NULL CHECK (half IN ('H1', 'H2')),
    ecb_rate_bps INTEGER NOT NULL,
    legal_rate_private_bps INTEGER NOT NULL,
    legal_rate_other_bps INTEGER NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (year, half)
);

INSERT INTO interest_rates (year, half, ecb_rate_bps, legal_rate_private_bps, legal_rate_other_bps, created_at) VALUES
    (2023, 'H1', 250, 447, 206, CURRENT_TIMESTAMP),
    (2023, 'H2', 400, 682, 422, CURRENT_TIMESTAMP),
    (2024, 'H1', 450, 801, 507, CURRENT_TIMESTAMP),
    (2024, 'H2', 425, 816, 492, CURRENT_TIMESTAMP),
    (2025, 'H1', 315, 721, 371, CURRENT_TIMESTAMP),
    (2025, 'H2', 215, 665, 276, CURRENT_TIMESTAMP),
    (2026, 'H1', 215, 667, 262, CURRENT_TIMESTAMP);
