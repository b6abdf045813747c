DROP TABLE pieces;
