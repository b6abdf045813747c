DROP TABLE interest_rates;
