DROP TABLE debtor_pieces;
